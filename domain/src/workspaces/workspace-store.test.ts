import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceError } from './workspace-error';
import { writeFile } from './workspace-files';
import { WorkspaceStore } from './workspace-store';

const tenant = 'acme';
const goal = 'g0000001';
let root: string;
let store: WorkspaceStore;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ws-store-'));
  store = new WorkspaceStore({ root });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A task that writes files in its worktree and commits them. */
async function work(taskId: string, files: Record<string, string>): Promise<string> {
  const { path: worktree } = await store.taskWorktree(tenant, goal, taskId);
  for (const [file, content] of Object.entries(files)) await writeFile(worktree, file, content);
  const commit = await store.commitAll(worktree, `task ${taskId}`);
  if (!commit) throw new Error('nothing committed');
  return commit;
}

/** Previews, then moves main to the merge; returns the merge commit. */
async function gate(taskId: string): Promise<string> {
  const preview = await store.mergePreview(tenant, goal, taskId);
  if (preview.state !== 'clean') throw new Error(`merge of ${taskId} is ${preview.state}`);
  await store.discardExport(preview.exportDir);
  expect(await store.advanceMain(tenant, goal, preview.mergeCommit, preview.mainCommit)).toBe(true);
  return preview.mergeCommit;
}

const tools = { env: { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } };

// Real git in a temporary folder: a few dozen git processes per test, so allow for a loaded machine.
describe('WorkspaceStore', { timeout: 30_000 }, () => {
  it('creates a repository with a first commit on main, once', async () => {
    const first = await store.ensure(tenant, goal);
    const again = await store.ensure(tenant, goal);
    expect(again).toEqual(first);
    expect(first.dir).toBe(path.join(root, tenant, goal));
    expect(await store.tree(tenant, goal)).toEqual(['.gitignore']);
    expect(await store.readAt(tenant, goal, 'main', '.gitignore')).toEqual({
      content: 'node_modules/\n',
      truncated: false,
    });
  });

  it('refuses ids that do not match their patterns before touching the disk', async () => {
    await expect(store.ensure('../etc', goal)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.ensure(tenant, 'G/../../x')).rejects.toBeInstanceOf(WorkspaceError);
    await expect(store.taskWorktree(tenant, goal, '--force')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.tree(tenant, goal, 'main~1')).rejects.toBeInstanceOf(WorkspaceError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('commits only what changed, respecting .gitignore, and returns null when nothing did', async () => {
    const { path: worktree } = await store.taskWorktree(tenant, goal, 't0000001');
    expect(await store.commitAll(worktree, 'nothing')).toBeNull();
    await writeFile(worktree, 'node_modules/x/index.js', 'ignored');
    expect(await store.commitAll(worktree, 'still nothing')).toBeNull();
    await writeFile(worktree, 'src/app.ts', 'export const app = 1;\n');
    const commit = await store.commitAll(worktree, 'add app');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await store.tree(tenant, goal, commit ?? '')).toEqual(['.gitignore', 'src/app.ts']);
  });

  it('merges two tasks one after the other: the second preview sees the first task’s files', async () => {
    await work('t0000001', { 'a.txt': 'from task one\n' });
    await work('t0000002', { 'b.txt': 'from task two\n' });
    await gate('t0000001');
    const second = await store.mergePreview(tenant, goal, 't0000002');
    expect(second.state).toBe('clean');
    if (second.state !== 'clean') return;
    expect(readFileSync(path.join(second.exportDir, 'a.txt'), 'utf8')).toBe('from task one\n');
    expect(readFileSync(path.join(second.exportDir, 'b.txt'), 'utf8')).toBe('from task two\n');
    expect(await store.advanceMain(tenant, goal, second.mergeCommit, second.mainCommit)).toBe(true);
    expect(await store.tree(tenant, goal)).toEqual(['.gitignore', 'a.txt', 'b.txt']);
  });

  it('exports the merge as plain files without .git, and discards the export', async () => {
    await work('t0000001', { 'src/index.ts': 'export {};\n' });
    const preview = await store.mergePreview(tenant, goal, 't0000001');
    if (preview.state !== 'clean') throw new Error(preview.state);
    expect(readdirSync(preview.exportDir).sort()).toEqual(['.gitignore', 'src']);
    expect(existsSync(path.join(preview.exportDir, '.git'))).toBe(false);
    expect((await store.tree(tenant, goal)).includes('src/index.ts')).toBe(false); // main did not move
    await store.discardExport(preview.exportDir);
    expect(existsSync(preview.exportDir)).toBe(false);
    await expect(store.discardExport(root)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('reports a conflict with the file names and leaves main unchanged', async () => {
    await work('t0000001', { 'shared.txt': 'one\n', 'only-one.txt': 'x\n' });
    await work('t0000002', { 'shared.txt': 'two\n' });
    const main = await gate('t0000001');
    const preview = await store.mergePreview(tenant, goal, 't0000002');
    expect(preview).toEqual({ state: 'conflict', mainCommit: main, files: ['shared.txt'] });
    expect((await store.ensure(tenant, goal)).mainCommit).toBe(main);
  });

  it('says nothing to merge when the branch has no commits beyond main', async () => {
    await store.taskWorktree(tenant, goal, 't0000001');
    const { mainCommit } = await store.ensure(tenant, goal);
    expect(await store.mergePreview(tenant, goal, 't0000001')).toEqual({ state: 'nothing', mainCommit });
    await expect(store.mergePreview(tenant, goal, 't0000009')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to advance main when main moved since the preview, and accepts a repeat after success', async () => {
    await work('t0000001', { 'a.txt': 'a\n' });
    await work('t0000002', { 'b.txt': 'b\n' });
    const stale = await store.mergePreview(tenant, goal, 't0000002');
    if (stale.state !== 'clean') throw new Error(stale.state);
    const moved = await gate('t0000001');
    expect(await store.advanceMain(tenant, goal, stale.mergeCommit, stale.mainCommit)).toBe(false);
    expect((await store.ensure(tenant, goal)).mainCommit).toBe(moved);
    const fresh = await store.mergePreview(tenant, goal, 't0000002');
    if (fresh.state !== 'clean') throw new Error(fresh.state);
    expect(await store.advanceMain(tenant, goal, fresh.mergeCommit, fresh.mainCommit)).toBe(true);
    expect(await store.advanceMain(tenant, goal, fresh.mergeCommit, fresh.mainCommit)).toBe(true);
  });

  it('recreates a task worktree whose folder was deleted, keeping the branch’s commits', async () => {
    const commit = await work('t0000001', { 'kept.txt': 'kept\n' });
    const first = await store.taskWorktree(tenant, goal, 't0000001');
    rmSync(first.path, { recursive: true, force: true });
    const again = await store.taskWorktree(tenant, goal, 't0000001');
    expect(again).toEqual({ path: first.path, branch: 'task/t0000001', head: commit });
    expect(readFileSync(path.join(again.path, 'kept.txt'), 'utf8')).toBe('kept\n');
  });

  it('recreates a worktree whose creation crashed, leaving its registration locked', async () => {
    const first = await store.taskWorktree(tenant, goal, 't0000001');
    const admin = path.join(root, tenant, goal, 'repo.git', 'worktrees', 'task-t0000001');
    writeFileSync(path.join(admin, 'locked'), 'initializing');
    rmSync(first.path, { recursive: true, force: true });
    const again = await store.taskWorktree(tenant, goal, 't0000001');
    expect(again.head).toBe(first.head);
    expect(existsSync(path.join(again.path, '.gitignore'))).toBe(true);
  });

  it('recreates a worktree whose .git file was deleted instead of using a repository above it', async () => {
    const first = await store.taskWorktree(tenant, goal, 't0000001');
    rmSync(path.join(first.path, '.git'));
    execFileSync('git', ['init', '--quiet', root], tools); // a repository around the whole store
    await expect(store.commitAll(first.path, 'lost')).rejects.toMatchObject({ code: 'broken' });
    const again = await store.taskWorktree(tenant, goal, 't0000001');
    expect(existsSync(path.join(again.path, '.git'))).toBe(true);
  });

  it('resets a task worktree to a commit and removes untracked files', async () => {
    const first = await work('t0000001', { 'a.txt': 'first\n' });
    const { path: worktree } = await store.taskWorktree(tenant, goal, 't0000001');
    await writeFile(worktree, 'a.txt', 'second\n');
    await store.commitAll(worktree, 'second');
    writeFileSync(path.join(worktree, 'scratch.txt'), 'half-written');
    const reset = await store.taskWorktree(tenant, goal, 't0000001', { resetTo: first });
    expect(reset.head).toBe(first);
    expect(readFileSync(path.join(worktree, 'a.txt'), 'utf8')).toBe('first\n');
    expect(existsSync(path.join(worktree, 'scratch.txt'))).toBe(false);
  });

  it('gives a read-only worktree of current main, refreshed on each call', async () => {
    const before = await store.readOnlyMain(tenant, goal, 'qa');
    writeFileSync(path.join(before.path, 'stray.txt'), 'x');
    await work('t0000001', { 'a.txt': 'a\n' });
    const main = await gate('t0000001');
    const after = await store.readOnlyMain(tenant, goal, 'qa');
    expect(after).toEqual({ path: before.path, head: main });
    expect(readFileSync(path.join(after.path, 'a.txt'), 'utf8')).toBe('a\n');
    expect(existsSync(path.join(after.path, 'stray.txt'))).toBe(false);
    await expect(store.commitAll(after.path, 'no')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('prepares worktrees for several tasks of one goal at once', async () => {
    const ids = ['t0000001', 't0000002', 't0000003', 't0000004'];
    const trees = await Promise.all(ids.map((id) => store.taskWorktree(tenant, goal, id)));
    expect(trees.map((t) => t.branch)).toEqual(ids.map((id) => `task/${id}`));
  });

  it('diffs two commits with per-file counts and cuts the text at maxBytes', async () => {
    const { mainCommit } = await store.ensure(tenant, goal);
    const commit = await work('t0000001', { 'a.txt': 'one\ntwo\n' });
    const diff = await store.diff(tenant, goal, mainCommit, commit);
    expect(diff.files).toEqual([{ path: 'a.txt', added: 2, removed: 0, binary: false }]);
    expect(diff.text).toContain('+two');
    expect(diff.truncated).toBe(false);
    const cut = await store.diff(tenant, goal, mainCommit, commit, { maxBytes: 20 });
    expect(cut).toMatchObject({ truncated: true, text: diff.text.slice(0, 20) });
  });

  it('reads a file at a commit and refuses paths into .git', async () => {
    const commit = await work('t0000001', { 'docs/a.md': 'hello\n' });
    expect(await store.readAt(tenant, goal, commit, 'docs/a.md', { maxBytes: 3 })).toEqual({
      content: 'hel',
      truncated: true,
    });
    await expect(store.readAt(tenant, goal, commit, 'docs/missing.md')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.readAt(tenant, goal, commit, '.git/config')).rejects.toThrow(/\.git/);
  });
});

describe('WorkspaceStore.release', { timeout: 30_000 }, () => {
  it('writes an archive and a bundle once, with checksums matching sha256sum', async () => {
    await work('t0000001', { 'src/app.ts': 'export const app = 1;\n' });
    const main = await gate('t0000001');
    const release = await store.release(tenant, goal, 'v1.0.0');
    expect(release).toMatchObject({ tag: 'v1.0.0', commit: main });
    expect(release.tarPath).toBe(store.releaseFile(tenant, goal, 'v1.0.0', 'tar'));
    expect(release.bundlePath).toBe(store.releaseFile(tenant, goal, 'v1.0.0', 'bundle'));
    const sha = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
    expect(release.tarSha256).toBe(sha(release.tarPath));
    expect(release.bundleSha256).toBe(sha(release.bundlePath));
    expect(release.tarBytes).toBe(readFileSync(release.tarPath).length);
    expect(await store.release(tenant, goal, 'v1.0.0')).toEqual(release);
    expect(readdirSync(path.dirname(release.tarPath)).sort()).toEqual(['v1.0.0.bundle', 'v1.0.0.tar.gz']);
  });

  it('packs an archive that unpacks to the tree under the goal id, and a bundle git can clone', async () => {
    await work('t0000001', { 'src/app.ts': 'export const app = 1;\n' });
    await gate('t0000001');
    const release = await store.release(tenant, goal, 'v1');
    const unpacked = path.join(root, 'unpacked');
    execFileSync('mkdir', [unpacked]);
    execFileSync('tar', ['-xzf', release.tarPath, '-C', unpacked]);
    expect(readFileSync(path.join(unpacked, goal, 'src', 'app.ts'), 'utf8')).toBe('export const app = 1;\n');
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '--quiet', release.bundlePath, clone], tools);
    expect(readFileSync(path.join(clone, 'src', 'app.ts'), 'utf8')).toBe('export const app = 1;\n');
    const tags = execFileSync('git', ['tag'], { ...tools, cwd: clone, encoding: 'utf8' });
    expect(tags.trim()).toBe('v1');
  });

  it('refuses a tag that already marks another commit', async () => {
    await store.ensure(tenant, goal);
    await store.release(tenant, goal, 'v1');
    await work('t0000001', { 'a.txt': 'a\n' });
    await gate('t0000001');
    await expect(store.release(tenant, goal, 'v1')).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.release(tenant, goal, '../v1')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
