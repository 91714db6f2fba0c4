import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

export const maxWorkspacePathLength = 4096;

/** A path an agent gave that would leave its workspace or touch git's own files. Safe to show to the agent. */
export class WorkspacePathError extends Error {
  readonly path: string;

  constructor(message: string, relative: string) {
    super(message);
    this.name = 'WorkspacePathError';
    this.path = relative.length > 200 ? `${relative.slice(0, 200)}…` : relative;
  }
}

/**
 * Checks a relative path by its text alone and returns it in POSIX form without `.` segments or
 * repeated slashes: no absolute path, no `..`, no NUL or backslash, no `.git` segment at any depth.
 */
export function normalizeRelativePath(relative: string): string {
  if (typeof relative !== 'string' || relative.length === 0) throw new WorkspacePathError('the path is empty', '');
  if (relative.length > maxWorkspacePathLength) {
    throw new WorkspacePathError(`the path is longer than ${maxWorkspacePathLength} characters`, relative);
  }
  if (relative.includes('\0')) throw new WorkspacePathError('the path contains a NUL character', relative);
  if (relative.includes('\\')) throw new WorkspacePathError('use "/" to separate folders, not "\\"', relative);
  if (relative.startsWith('/') || path.isAbsolute(relative)) {
    throw new WorkspacePathError(`"${relative}" is absolute; give a path relative to the workspace`, relative);
  }
  const segments = relative.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw new WorkspacePathError('the path names the workspace itself, not a file', relative);
  if (segments.includes('..'))
    throw new WorkspacePathError(`"${relative}" contains "..", which is not allowed`, relative);
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    throw new WorkspacePathError(`"${relative}" is inside .git, which is not part of the workspace`, relative);
  }
  return segments.join('/');
}

const isInside = (root: string, candidate: string): boolean =>
  candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

function lstatOrNull(target: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(target);
  } catch {
    return null;
  }
}

/**
 * The absolute, symlink-free path of `relative` inside `root`. Symlinks are resolved up to the deepest part
 * that exists, so a link inside the workspace pointing outside it (or into `.git`) is refused, as is a
 * dangling link, which a write would follow.
 */
export function resolveInside(root: string, relative: string): string {
  const clean = normalizeRelativePath(relative);
  const realRoot = realpathSync(root);
  const segments = clean.split('/');
  let existing = realRoot;
  let depth = 0;
  while (depth < segments.length) {
    const next = path.join(existing, segments[depth] ?? '');
    if (!lstatOrNull(next)) break;
    existing = next;
    depth += 1;
  }
  let realExisting: string;
  try {
    realExisting = realpathSync(existing);
  } catch {
    throw new WorkspacePathError(`"${clean}" goes through a broken symbolic link`, relative);
  }
  if (!isInside(realRoot, realExisting)) {
    throw new WorkspacePathError(`"${clean}" leads outside the workspace through a symbolic link`, relative);
  }
  const insideRoot = path.relative(realRoot, realExisting).split(path.sep);
  if (insideRoot.some((segment) => segment.toLowerCase() === '.git')) {
    throw new WorkspacePathError(`"${clean}" leads into .git through a symbolic link`, relative);
  }
  return path.join(realExisting, ...segments.slice(depth));
}
