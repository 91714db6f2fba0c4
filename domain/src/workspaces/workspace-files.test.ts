import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceFileError } from './workspace-file-error';
import { applyPatch, listFiles, readFile, writeFile } from './workspace-files';
import { WorkspacePathError } from './workspace-paths';

let dir: string;
const put = (relative: string, content: string | Buffer): void => {
  mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
  writeFileSync(path.join(dir, relative), content);
};
const read = (relative: string): string => readFileSync(path.join(dir, relative), 'utf8');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-files-'));
  put('README.md', '# app\n');
  put('src/a.ts', 'one\ntwo\nthree\n');
  put('src/b.ts', 'alpha\nbeta\n');
  put('.git', 'gitdir: /somewhere\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('listFiles', () => {
  it('lists files sorted, as relative POSIX paths, without .git', async () => {
    expect(await listFiles(dir)).toEqual({ files: ['README.md', 'src/a.ts', 'src/b.ts'], truncated: false });
  });

  it('lists only files under a prefix and stops at max', async () => {
    expect((await listFiles(dir, { prefix: 'src' })).files).toEqual(['src/a.ts', 'src/b.ts']);
    expect((await listFiles(dir, { prefix: 'src/b' })).files).toEqual(['src/b.ts']);
    expect(await listFiles(dir, { max: 2 })).toEqual({ files: ['README.md', 'src/a.ts'], truncated: true });
  });

  it('does not follow a symlink out of the worktree', async () => {
    symlinkSync('/etc', path.join(dir, 'etc'));
    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    symlinkSync(path.join(dir, 'src', 'a.ts'), path.join(dir, 'alias.ts'));
    expect((await listFiles(dir)).files).toEqual(['README.md', 'alias.ts', 'src/a.ts', 'src/b.ts']);
  });
});

describe('readFile and writeFile', () => {
  it('reads a text file and cuts it at maxBytes without splitting a character', async () => {
    expect(await readFile(dir, 'src/a.ts')).toEqual({ content: 'one\ntwo\nthree\n', truncated: false });
    put('utf8.txt', 'aé'); // é is two bytes
    expect(await readFile(dir, 'utf8.txt', { maxBytes: 2 })).toEqual({ content: 'a', truncated: true });
  });

  it('refuses a binary file with a clear error', async () => {
    put('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x01]));
    await expect(readFile(dir, 'logo.png')).rejects.toMatchObject({ code: 'binary', file: 'logo.png' });
  });

  it('reports a missing file as not_found and refuses paths outside', async () => {
    await expect(readFile(dir, 'nope.ts')).rejects.toMatchObject({ code: 'not_found' });
    await expect(readFile(dir, '../x')).rejects.toBeInstanceOf(WorkspacePathError);
    await expect(readFile(dir, '.git')).rejects.toBeInstanceOf(WorkspacePathError);
  });

  it('writes a file, creating its folders, and refuses content over maxBytes', async () => {
    await writeFile(dir, 'lib/deep/c.ts', 'export {};\n');
    expect(read('lib/deep/c.ts')).toBe('export {};\n');
    await expect(writeFile(dir, 'big.txt', 'x'.repeat(11), { maxBytes: 10 })).rejects.toMatchObject({
      code: 'too_large',
    });
    expect(existsSync(path.join(dir, 'big.txt'))).toBe(false);
  });

  it('refuses to write through a symlink that points outside', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'ws-outside-'));
    symlinkSync(outside, path.join(dir, 'out'));
    await expect(writeFile(dir, 'out/x.txt', 'x')).rejects.toBeInstanceOf(WorkspacePathError);
    expect(existsSync(path.join(outside, 'x.txt'))).toBe(false);
    rmSync(outside, { recursive: true, force: true });
  });
});

const twoFilePatch = `diff --git a/src/a.ts b/src/a.ts
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,3 +1,3 @@
 one
-two
+TWO
 three
diff --git a/src/new.ts b/src/new.ts
new file mode 100644
--- /dev/null
+++ b/src/new.ts
@@ -0,0 +1,2 @@
+fresh
+file
diff --git a/src/b.ts b/src/b.ts
deleted file mode 100644
--- a/src/b.ts
+++ /dev/null
@@ -1,2 +0,0 @@
-alpha
-beta
`;

describe('applyPatch', () => {
  it('modifies, creates and deletes files from one unified diff', async () => {
    const result = await applyPatch(dir, twoFilePatch);
    expect(read('src/a.ts')).toBe('one\nTWO\nthree\n');
    expect(read('src/new.ts')).toBe('fresh\nfile\n');
    expect(existsSync(path.join(dir, 'src/b.ts'))).toBe(false);
    expect(result.files).toEqual([
      { path: 'src/a.ts', action: 'modified' },
      { path: 'src/new.ts', action: 'created' },
      { path: 'src/b.ts', action: 'deleted' },
    ]);
  });

  it('writes nothing when one hunk fails, and names the file and hunk', async () => {
    put('src/b.ts', 'alpha\nchanged meanwhile\n');
    const error = await applyPatch(dir, twoFilePatch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error).toMatchObject({ code: 'patch_failed', file: 'src/b.ts' });
    expect((error as Error).message).toMatch(/hunk 1 .*src\/b\.ts/);
    expect(read('src/a.ts')).toBe('one\ntwo\nthree\n');
    expect(existsSync(path.join(dir, 'src/new.ts'))).toBe(false);
    expect(read('src/b.ts')).toBe('alpha\nchanged meanwhile\n');
  });

  it('names the second hunk when the first fits and the second does not', async () => {
    put('long.txt', `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
    const patch = `--- a/long.txt
+++ b/long.txt
@@ -1,2 +1,2 @@
-line 1
+LINE 1
 line 2
@@ -19,2 +19,2 @@
 line 19
-line twenty
+LINE 20
`;
    await expect(applyPatch(dir, patch)).rejects.toThrow(/hunk 2 \(@@ -19,2 \+19,2 @@\) of "long.txt"/);
    expect(read('long.txt').startsWith('line 1\n')).toBe(true);
  });

  it('refuses to create a file that exists, and patches touching .git', async () => {
    const create = '--- /dev/null\n+++ b/README.md\n@@ -0,0 +1 @@\n+x\n';
    await expect(applyPatch(dir, create)).rejects.toMatchObject({ code: 'patch_failed', file: 'README.md' });
    const gitPatch = '--- /dev/null\n+++ b/.git/hooks/post-commit\n@@ -0,0 +1 @@\n+evil\n';
    await expect(applyPatch(dir, gitPatch)).rejects.toBeInstanceOf(WorkspacePathError);
  });

  it('refuses a patch touching more than 50 files, and text that is no diff', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `--- /dev/null\n+++ b/f${i}.txt\n@@ -0,0 +1 @@\n+x\n`).join('');
    await expect(applyPatch(dir, many)).rejects.toMatchObject({ code: 'too_many_files' });
    expect(existsSync(path.join(dir, 'f0.txt'))).toBe(false);
    await expect(applyPatch(dir, 'just some words\n')).rejects.toMatchObject({ code: 'patch_invalid' });
  });
});
