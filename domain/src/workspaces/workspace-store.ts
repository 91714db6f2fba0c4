import { randomBytes } from 'node:crypto';
import { mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { gitTimeoutMs, isGitError, isGitLockError, readGitHead, runGit } from './git';
import { KeyedMutex } from './keyed-mutex';
import { exportCommit, hashFile, produceOnce } from './workspace-archive';
import { WorkspaceError } from './workspace-error';
import { WorkspaceFileError } from './workspace-file-error';
import {
  checkCommitId,
  checkReleaseTag,
  checkRevision,
  checkTaskId,
  checkWorktreeName,
  type GoalLayout,
  goalLayout,
  isExportName,
  parseGoalPath,
} from './workspace-layout';
import { normalizeRelativePath } from './workspace-paths';
import { decodeText, defaultReadMaxBytes } from './workspace-text';

export type MergePreview =
  | { state: 'clean'; mainCommit: string; mergeCommit: string; exportDir: string }
  | { state: 'conflict'; mainCommit: string; files: string[] }
  | { state: 'nothing'; mainCommit: string };

export interface WorkspaceDiff {
  readonly text: string;
  readonly truncated: boolean;
  /** Per file; a binary file counts 0 added and 0 removed lines. */
  readonly files: { path: string; added: number; removed: number; binary: boolean }[];
}

export interface Release {
  readonly tag: string;
  readonly commit: string;
  readonly tarPath: string;
  readonly tarSha256: string;
  readonly tarBytes: number;
  readonly bundlePath: string;
  readonly bundleSha256: string;
  readonly bundleBytes: number;
}

const mainRef = 'refs/heads/main';
const zeroOid = '0000000000000000000000000000000000000000';
const initialIgnore = 'node_modules/\n';
const lockRetryDelayMs = 250;
const lines = (text: string): string[] => text.split('\n').filter(Boolean);
const nulSeparated = (text: string): string[] => text.split('\0').filter(Boolean);
const exists = (target: string): Promise<boolean> =>
  stat(target).then(
    () => true,
    () => false,
  );
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a git step again once when another git process held a lock. */
async function retryOnLock<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isGitLockError(error)) throw error;
    await sleep(lockRetryDelayMs);
    return step();
  }
}

/**
 * A git repository per goal, on disk: `<root>/<tenantId>/<goalId>/repo.git` (bare, default branch main),
 * task worktrees on branches `task/<taskId>`, gate merges that move main by compare-and-swap, and releases.
 * Every method can be called again after a crash at any point.
 */
export class WorkspaceStore {
  readonly root: string;
  private readonly mutex = new KeyedMutex();

  constructor(options: { root: string }) {
    this.root = path.resolve(options.root);
  }

  /** Creates the goal's repository with a first commit on main (a `.gitignore`), unless it exists. */
  async ensure(tenantId: string, goalId: string): Promise<{ dir: string; mainCommit: string }> {
    const layout = goalLayout(this.root, tenantId, goalId);
    return this.mutex.run(layout.repo, async () => {
      if (await exists(layout.repo)) return { dir: layout.goal, mainCommit: await this.main(layout) };
      await mkdir(layout.goal, { recursive: true });
      const temp = `${layout.repo}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        await runGit(['init', '--quiet', '--bare', '--initial-branch=main', temp], { cwd: layout.goal });
        await runGit(['config', 'core.logAllRefUpdates', 'true'], { cwd: temp });
        const blob = await this.git(temp, ['hash-object', '-w', '--stdin'], initialIgnore);
        const tree = await this.git(temp, ['mktree'], `100644 blob ${blob}\t.gitignore\n`);
        const commit = await this.git(temp, ['commit-tree', tree, '-m', 'workspace created']);
        await runGit(['update-ref', mainRef, commit, zeroOid], { cwd: temp });
        await rename(temp, layout.repo).catch(async (error: NodeJS.ErrnoException) => {
          if (!(await exists(layout.repo))) throw error; // another process won the race: use its repository
        });
      } finally {
        await rm(temp, { recursive: true, force: true });
      }
      return { dir: layout.goal, mainCommit: await this.main(layout) };
    });
  }

  /**
   * The worktree of a task on branch `task/<taskId>` (made from current main when new). A missing or broken
   * worktree folder is recreated from the branch. `resetTo` puts branch and folder back to that commit exactly.
   */
  async taskWorktree(
    tenantId: string,
    goalId: string,
    taskId: string,
    options: { resetTo?: string } = {},
  ): Promise<{ path: string; branch: string; head: string }> {
    const branch = `task/${checkTaskId(taskId)}`;
    const resetTo = options.resetTo === undefined ? null : checkCommitId(options.resetTo);
    await this.ensure(tenantId, goalId);
    const layout = goalLayout(this.root, tenantId, goalId);
    const worktree = path.join(layout.worktrees, `task-${taskId}`);
    return this.mutex.run(layout.repo, async () => {
      if (resetTo) await this.commit(layout, resetTo);
      if (!(await this.resolve(layout, `refs/heads/${branch}`))) {
        const main = await this.main(layout);
        await runGit(['update-ref', `refs/heads/${branch}`, main, zeroOid], { cwd: layout.repo }).catch(
          async (error) => {
            if (!(await this.resolve(layout, `refs/heads/${branch}`))) throw error;
          },
        );
      }
      if (!(await this.isHealthy(layout, worktree, `refs/heads/${branch}`))) {
        await this.recreate(layout, worktree, ['worktree', 'add', '--quiet', worktree, branch]);
      }
      if (resetTo) {
        await retryOnLock(() => runGit(['reset', '--quiet', '--hard', resetTo], { cwd: worktree }));
        await runGit(['clean', '-ffdxq'], { cwd: worktree });
      }
      return { path: worktree, branch, head: await this.git(worktree, ['rev-parse', 'HEAD']) };
    });
  }

  /** A detached worktree of current main for tasks that only read; reset to main (and cleaned) on every call. */
  async readOnlyMain(tenantId: string, goalId: string, name: string): Promise<{ path: string; head: string }> {
    checkWorktreeName(name);
    await this.ensure(tenantId, goalId);
    const layout = goalLayout(this.root, tenantId, goalId);
    const worktree = path.join(layout.worktrees, `read-${name}`);
    return this.mutex.run(layout.repo, async () => {
      const main = await this.main(layout);
      if (await this.isHealthy(layout, worktree, null)) {
        await retryOnLock(() => runGit(['checkout', '--quiet', '--force', '--detach', main], { cwd: worktree }));
        await runGit(['clean', '-ffdxq'], { cwd: worktree });
      } else {
        await this.recreate(layout, worktree, ['worktree', 'add', '--quiet', '--detach', worktree, main]);
      }
      return { path: worktree, head: main };
    });
  }

  /** Stages everything in a task worktree (respecting .gitignore) and commits; null when nothing changed. */
  async commitAll(worktreePath: string, message: string): Promise<string | null> {
    const parts = parseGoalPath(this.root, worktreePath);
    if (parts?.folder !== 'worktrees' || !/^task-[0-9a-z]{8}$/.test(parts.name)) {
      throw new WorkspaceError('invalid_input', 'commitAll takes the path of a task worktree of this store');
    }
    const worktree = path.join(goalLayout(this.root, parts.tenantId, parts.goalId).worktrees, parts.name);
    const head = await runGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd: worktree }).catch(() => null);
    if (head?.stdout.trim() !== `refs/heads/task/${parts.name.slice('task-'.length)}`) {
      throw new WorkspaceError('broken', `${parts.name} is not on its task branch; call taskWorktree first`);
    }
    await retryOnLock(() => runGit(['add', '--all'], { cwd: worktree }));
    const diff = await runGit(['diff', '--cached', '--quiet'], { cwd: worktree, okExitCodes: [1] });
    const staged = diff.exitCode === 1;
    if (!staged) return null;
    const text = message.trim() || 'Update workspace';
    await retryOnLock(() => runGit(['commit', '--quiet', '--no-verify', '--file=-'], { cwd: worktree, input: text }));
    return this.git(worktree, ['rev-parse', 'HEAD']);
  }

  /**
   * Merges `task/<taskId>` into current main without moving main: the merge commit is written from
   * `git merge-tree --write-tree`, and its tree exported (no `.git`) into `exportDir` for the tests to run in.
   */
  async mergePreview(tenantId: string, goalId: string, taskId: string): Promise<MergePreview> {
    const branch = `refs/heads/task/${checkTaskId(taskId)}`;
    const layout = await this.existing(tenantId, goalId);
    const mainCommit = await this.main(layout);
    const taskCommit = await this.resolve(layout, branch);
    if (!taskCommit) throw new WorkspaceError('not_found', `task/${taskId} has no branch in this workspace`);
    if (await this.isAncestor(layout, taskCommit, mainCommit)) return { state: 'nothing', mainCommit };
    const args = ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', mainCommit, taskCommit];
    const merged = await runGit(args, { cwd: layout.repo, okExitCodes: [1] });
    const [tree = '', ...conflicted] = nulSeparated(merged.stdout);
    if (merged.exitCode === 1) return { state: 'conflict', mainCommit, files: [...new Set(conflicted)].sort() };
    const message = `Merge task/${taskId} into main`;
    const mergeCommit = await this.git(layout.repo, [
      'commit-tree',
      tree,
      '-p',
      mainCommit,
      '-p',
      taskCommit,
      '-m',
      message,
    ]);
    const exportDir = path.join(layout.exports, `${taskId}-${randomBytes(6).toString('hex')}`);
    await mkdir(layout.exports, { recursive: true });
    try {
      await exportCommit(layout.repo, mergeCommit, exportDir);
    } catch (error) {
      await rm(exportDir, { recursive: true, force: true });
      throw error;
    }
    return { state: 'clean', mainCommit, mergeCommit, exportDir };
  }

  /** Deletes a folder made by mergePreview (and nothing else). */
  async discardExport(exportDir: string): Promise<void> {
    const parts = parseGoalPath(this.root, exportDir);
    if (parts?.folder !== 'exports' || !isExportName(parts.name)) {
      throw new WorkspaceError('invalid_input', 'discardExport takes a folder returned by mergePreview');
    }
    await rm(path.join(goalLayout(this.root, parts.tenantId, parts.goalId).exports, parts.name), {
      recursive: true,
      force: true,
    });
  }

  /**
   * Moves main from `expectedMain` to `mergeCommit` only if main is still `expectedMain` (compare-and-swap).
   * False when main moved meanwhile; true when main already is `mergeCommit` (a retry after a crash).
   */
  async advanceMain(tenantId: string, goalId: string, mergeCommit: string, expectedMain: string): Promise<boolean> {
    checkCommitId(mergeCommit);
    checkCommitId(expectedMain);
    const layout = await this.existing(tenantId, goalId);
    for (let attempt = 0; ; attempt++) {
      const current = await this.main(layout);
      if (current === mergeCommit) return true;
      if (current !== expectedMain) return false;
      await this.commit(layout, mergeCommit);
      if (!(await this.isAncestor(layout, expectedMain, mergeCommit))) {
        throw new WorkspaceError('invalid_input', `${mergeCommit} does not descend from main ${expectedMain}`);
      }
      try {
        await runGit(['update-ref', '-m', 'gate: merge', mainRef, mergeCommit, expectedMain], { cwd: layout.repo });
        return true;
      } catch (error) {
        if (!isGitError(error) || attempt > 0) throw error;
        await sleep(lockRetryDelayMs); // lost a race or a lock: look at main again, once
      }
    }
  }

  /** The changes between two commits: the unified diff (cut at `maxBytes`) and line counts per file. */
  async diff(
    tenantId: string,
    goalId: string,
    fromCommit: string,
    toCommit: string,
    options: { maxBytes?: number } = {},
  ): Promise<WorkspaceDiff> {
    const layout = await this.existing(tenantId, goalId);
    const from = await this.commit(layout, fromCommit);
    const to = await this.commit(layout, toCommit);
    const common = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames'];
    const head = await readGitHead([...common, from, to], {
      cwd: layout.repo,
      limit: options.maxBytes ?? defaultReadMaxBytes,
    });
    const numstat = await runGit([...common, '--numstat', '-z', from, to], { cwd: layout.repo });
    const files = nulSeparated(numstat.stdout).map((entry) => {
      const [added = '-', removed = '-', file = ''] = entry.split('\t');
      const binary = added === '-';
      return { path: file, added: binary ? 0 : Number(added), removed: binary ? 0 : Number(removed), binary };
    });
    return { text: head.bytes.toString('utf8'), truncated: head.truncated, files };
  }

  /** The file paths of a commit (default main), sorted. */
  async tree(tenantId: string, goalId: string, commit = 'main'): Promise<string[]> {
    const layout = await this.existing(tenantId, goalId);
    const sha = await this.commit(layout, commit);
    const listing = await runGit(['ls-tree', '-r', '-z', '--name-only', '--full-tree', sha], { cwd: layout.repo });
    return nulSeparated(listing.stdout);
  }

  /** A text file's content at a commit (for the UI), at most `maxBytes` of it. */
  async readAt(
    tenantId: string,
    goalId: string,
    commit: string,
    file: string,
    options: { maxBytes?: number } = {},
  ): Promise<{ content: string; truncated: boolean }> {
    const layout = await this.existing(tenantId, goalId);
    const sha = await this.commit(layout, commit);
    const clean = normalizeRelativePath(file);
    const object = await this.resolveObject(layout, `${sha}:${clean}`);
    if (!object) throw new WorkspaceFileError('not_found', `"${clean}" does not exist at ${sha.slice(0, 12)}`, clean);
    if ((await this.git(layout.repo, ['cat-file', '-t', object])) !== 'blob') {
      throw new WorkspaceFileError('not_a_file', `"${clean}" is not a file`, clean);
    }
    const head = await readGitHead(['cat-file', 'blob', object], {
      cwd: layout.repo,
      limit: options.maxBytes ?? defaultReadMaxBytes,
    });
    return { content: decodeText(head.bytes, clean, head.truncated), truncated: head.truncated };
  }

  /**
   * Tags main as `tag` (error if the tag exists on another commit) and writes `releases/<tag>.tar.gz` and
   * `releases/<tag>.bundle` once; calling again returns the same files and checksums.
   */
  async release(tenantId: string, goalId: string, tag: string): Promise<Release> {
    checkReleaseTag(tag);
    const layout = await this.existing(tenantId, goalId);
    return this.mutex.run(`${layout.repo}#release`, async () => {
      const main = await this.main(layout);
      const tagRef = `refs/tags/${tag}`;
      let tagged = await this.resolve(layout, tagRef);
      if (!tagged) {
        await runGit(['tag', '--annotate', '--message', `Release ${tag}`, tag, main], { cwd: layout.repo }).catch(
          async (error) => {
            if (!(await this.resolve(layout, tagRef))) throw error;
          },
        );
        tagged = await this.resolve(layout, tagRef);
      }
      if (tagged !== main) {
        throw new WorkspaceError('conflict', `tag ${tag} already marks ${tagged?.slice(0, 12)}, not main`);
      }
      await mkdir(layout.releases, { recursive: true });
      const tarPath = this.releaseFile(tenantId, goalId, tag, 'tar');
      const bundlePath = this.releaseFile(tenantId, goalId, tag, 'bundle');
      await produceOnce(tarPath, async (temp) => {
        const args = ['archive', '--format=tar.gz', `--prefix=${goalId}/`, '-o', temp, tagRef];
        await runGit(args, { cwd: layout.repo });
      });
      await produceOnce(bundlePath, async (temp) => {
        await runGit(['bundle', 'create', '--quiet', temp, 'HEAD', 'main', '--tags'], { cwd: layout.repo });
      });
      const tar = await hashFile(tarPath);
      const bundle = await hashFile(bundlePath);
      return {
        tag,
        commit: main,
        tarPath,
        tarSha256: tar.sha256,
        tarBytes: tar.bytes,
        bundlePath,
        bundleSha256: bundle.sha256,
        bundleBytes: bundle.bytes,
      };
    });
  }

  /** Where a release's archive or bundle is (or will be) stored; the ids and tag are checked. */
  releaseFile(tenantId: string, goalId: string, tag: string, part: 'tar' | 'bundle'): string {
    const layout = goalLayout(this.root, tenantId, goalId);
    return path.join(layout.releases, `${checkReleaseTag(tag)}${part === 'tar' ? '.tar.gz' : '.bundle'}`);
  }

  /** Deletes a goal's whole workspace (repository, worktrees, exports, releases). */
  async remove(tenantId: string, goalId: string): Promise<void> {
    const layout = goalLayout(this.root, tenantId, goalId);
    await this.mutex.run(layout.repo, () => rm(layout.goal, { recursive: true, force: true }));
  }

  // --- helpers ---

  private async git(cwd: string, args: string[], input?: string): Promise<string> {
    return (await runGit(args, input === undefined ? { cwd } : { cwd, input })).stdout.trim();
  }

  private async existing(tenantId: string, goalId: string): Promise<GoalLayout> {
    const layout = goalLayout(this.root, tenantId, goalId);
    if (!(await exists(layout.repo))) {
      throw new WorkspaceError('not_found', `goal ${goalId} of tenant ${tenantId} has no workspace`);
    }
    return layout;
  }

  private async main(layout: GoalLayout): Promise<string> {
    const main = await this.resolve(layout, mainRef);
    if (!main) throw new WorkspaceError('broken', `the workspace at ${layout.goal} has no main branch`);
    return main;
  }

  /** The commit a ref or revision names, or null when there is none. */
  private async resolve(layout: GoalLayout, ref: string): Promise<string | null> {
    return this.resolveObject(layout, `${ref}^{commit}`);
  }

  private async resolveObject(layout: GoalLayout, spec: string): Promise<string | null> {
    const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', spec];
    const output = await runGit(args, { cwd: layout.repo, okExitCodes: [1] });
    return output.exitCode === 0 ? output.stdout.trim() : null;
  }

  /** Resolves a caller's revision (main, a task branch, a tag or a sha) to a commit, or throws not_found. */
  private async commit(layout: GoalLayout, revision: string): Promise<string> {
    const sha = await this.resolve(layout, checkRevision(revision));
    if (!sha) throw new WorkspaceError('not_found', `no commit ${revision} in this workspace`);
    return sha;
  }

  private async isAncestor(layout: GoalLayout, ancestor: string, descendant: string): Promise<boolean> {
    const args = ['merge-base', '--is-ancestor', ancestor, descendant];
    return (await runGit(args, { cwd: layout.repo, okExitCodes: [1] })).exitCode === 0;
  }

  /**
   * True when `worktree` is a checkout of this repository on `ref` (detached when ref is null). A healthy
   * worktree's index.lock older than any git command may run was left by a crashed process and is removed.
   */
  private async isHealthy(layout: GoalLayout, worktree: string, ref: string | null): Promise<boolean> {
    try {
      if (!(await stat(path.join(worktree, '.git'))).isFile()) return false;
      const args = ['rev-parse', '--show-toplevel', '--git-common-dir', '--git-path', 'index.lock'];
      const [top, common, indexLock, head] = lines(await this.git(worktree, [...args, '--symbolic-full-name', 'HEAD']));
      if (!top || !common || !indexLock || !head) return false;
      if (top !== (await realpath(worktree))) return false;
      if ((await realpath(path.resolve(worktree, common))) !== (await realpath(layout.repo))) return false;
      if (head !== (ref ?? 'HEAD')) return false;
      const lock = await stat(path.resolve(worktree, indexLock)).catch(() => null);
      if (lock && Date.now() - lock.mtimeMs > 2 * gitTimeoutMs)
        await rm(path.resolve(worktree, indexLock), { force: true });
      return true;
    } catch {
      return false;
    }
  }

  /** Deletes a broken or missing worktree's folder and registration, then adds it again. */
  private async recreate(layout: GoalLayout, worktree: string, addArgs: string[]): Promise<void> {
    await rm(worktree, { recursive: true, force: true });
    await mkdir(layout.worktrees, { recursive: true });
    await retryOnLock(() => runGit(['worktree', 'prune'], { cwd: layout.repo }));
    try {
      await retryOnLock(() => runGit(addArgs, { cwd: layout.repo }));
    } catch (error) {
      if (!isGitError(error) || !/locked/.test(error.stderr)) throw error;
      // a crash during `worktree add` leaves its registration locked ("initializing"): unlock, prune, retry
      await runGit(['worktree', 'unlock', worktree], { cwd: layout.repo }).catch(() => undefined);
      await rm(worktree, { recursive: true, force: true });
      await runGit(['worktree', 'prune'], { cwd: layout.repo });
      await runGit(addArgs, { cwd: layout.repo });
    }
  }
}
