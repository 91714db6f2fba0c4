import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeRelativePath, resolveInside, WorkspacePathError } from './workspace-paths';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ws-paths-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'a.ts'), 'a');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const refused = (relative: string): WorkspacePathError => {
  try {
    resolveInside(root, relative);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspacePathError);
    return error as WorkspacePathError;
  }
  throw new Error(`"${relative}" was accepted`);
};

describe('resolveInside', () => {
  it('resolves a relative path, new or existing, inside the root', () => {
    expect(resolveInside(root, 'src/a.ts')).toBe(path.join(root, 'src', 'a.ts'));
    expect(resolveInside(root, './src//new/b.ts')).toBe(path.join(root, 'src', 'new', 'b.ts'));
  });

  it('refuses a path climbing out with ..', () => {
    expect(refused('../x').message).toMatch(/\.\./);
    refused('src/../../x');
  });

  it('refuses an absolute path', () => {
    expect(refused('/etc/passwd').message).toMatch(/absolute/);
  });

  it('refuses .git at any depth, in any case', () => {
    refused('.git/config');
    refused('src/.git/hooks/pre-commit');
    refused('.GIT/config');
  });

  it('refuses NUL, backslashes, empty and overlong paths', () => {
    refused('a\0b');
    refused('src\\a.ts');
    refused('');
    refused('.');
    expect(refused('a/'.repeat(2100)).message).toMatch(/longer than 4096/);
  });

  it('refuses a symlink inside the root that points to /etc, for reading and for writing below it', () => {
    symlinkSync('/etc', path.join(root, 'etc'));
    expect(refused('etc/passwd').message).toMatch(/outside/);
    refused('etc/new-file');
  });

  it('refuses a symlink to a file outside and a dangling symlink a write would follow', () => {
    symlinkSync('/etc/passwd', path.join(root, 'passwd'));
    symlinkSync(path.join(tmpdir(), 'ws-paths-nowhere', 'x'), path.join(root, 'dangling'));
    refused('passwd');
    expect(refused('dangling').message).toMatch(/broken symbolic link/);
  });

  it('refuses a symlink that leads into .git', () => {
    mkdirSync(path.join(root, '.git'));
    symlinkSync(path.join(root, '.git'), path.join(root, 'sneaky'));
    expect(refused('sneaky/config').message).toMatch(/\.git/);
  });

  it('follows a symlink that stays inside the root', () => {
    symlinkSync(path.join(root, 'src'), path.join(root, 'source'));
    expect(resolveInside(root, 'source/a.ts')).toBe(path.join(root, 'src', 'a.ts'));
  });
});

describe('normalizeRelativePath', () => {
  it('returns the POSIX form without dot segments', () => {
    expect(normalizeRelativePath('./src/./a.ts')).toBe('src/a.ts');
  });
});
