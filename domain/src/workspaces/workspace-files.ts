import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, realpath, stat, writeFile as writeFileOnDisk } from 'node:fs/promises';
import path from 'node:path';
import { WorkspaceFileError } from './workspace-file-error';
import { normalizeRelativePath, resolveInside } from './workspace-paths';
import { decodeText, defaultReadMaxBytes, defaultWriteMaxBytes } from './workspace-text';

export { applyPatch, maxPatchFiles, type PatchResult } from './workspace-patch';

export const defaultListMax = 2000;

export interface FileList {
  /** Workspace-relative POSIX paths, sorted. */
  readonly files: string[];
  /** More files matched than `max`; only the first `max` found are listed. */
  readonly truncated: boolean;
}

const isGitName = (name: string): boolean => name.toLowerCase() === '.git';
const toPosix = (relative: string): string => relative.split(path.sep).join('/');

async function isFileInside(realRoot: string, link: string): Promise<boolean> {
  try {
    const target = await realpath(link);
    const inside = path.relative(realRoot, target);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return false;
    if (inside.split(path.sep).some(isGitName)) return false;
    return (await stat(target)).isFile();
  } catch {
    return false;
  }
}

/**
 * The files of a worktree (never `.git`), optionally only those whose path starts with `prefix`. Symbolic links
 * are listed only when they point at a file inside the worktree, and linked folders are never entered.
 */
export async function listFiles(dir: string, options: { prefix?: string; max?: number } = {}): Promise<FileList> {
  const max = options.max ?? defaultListMax;
  const realRoot = await realpath(dir);
  const prefix = options.prefix ? normalizeRelativePath(options.prefix) : '';
  let start = realRoot;
  if (prefix) {
    const resolved = resolveInside(realRoot, prefix);
    const isDir = await stat(resolved).then(
      (s) => s.isDirectory(),
      () => false,
    );
    start = isDir ? resolved : path.dirname(resolved);
  }
  const files: string[] = [];
  let truncated = false;
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      if (isGitName(entry.name)) continue;
      const full = path.join(folder, entry.name);
      const relative = toPosix(path.relative(realRoot, full));
      if (entry.isDirectory()) {
        if (!prefix || `${relative}/`.startsWith(prefix) || prefix.startsWith(`${relative}/`)) await walk(full);
        continue;
      }
      if (prefix && !relative.startsWith(prefix)) continue;
      if (entry.isFile() || (entry.isSymbolicLink() && (await isFileInside(realRoot, full)))) {
        if (files.length === max) truncated = true;
        else files.push(relative);
      }
    }
  };
  await walk(start);
  return { files: files.sort(), truncated };
}

/** A text file of the worktree, at most `maxBytes` of it. */
export async function readFile(
  dir: string,
  relative: string,
  options: { maxBytes?: number } = {},
): Promise<{ content: string; truncated: boolean }> {
  const maxBytes = options.maxBytes ?? defaultReadMaxBytes;
  const target = resolveInside(dir, relative);
  const clean = normalizeRelativePath(relative);
  const handle = await open(target, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new WorkspaceFileError('not_found', `"${clean}" does not exist`, clean);
    }
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new WorkspaceFileError('not_a_file', `"${clean}" is not a file`, clean);
    const length = Math.min(info.size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    const truncated = info.size > maxBytes;
    return { content: decodeText(buffer.subarray(0, bytesRead), clean, truncated), truncated };
  } finally {
    await handle.close();
  }
}

/** Writes a text file into the worktree, creating its folders. */
export async function writeFile(
  dir: string,
  relative: string,
  content: string,
  options: { maxBytes?: number } = {},
): Promise<void> {
  const maxBytes = options.maxBytes ?? defaultWriteMaxBytes;
  const target = resolveInside(dir, relative);
  const clean = normalizeRelativePath(relative);
  const size = Buffer.byteLength(content, 'utf8');
  if (size > maxBytes) {
    throw new WorkspaceFileError('too_large', `"${clean}" would be ${size} bytes; the limit is ${maxBytes}`, clean);
  }
  if (content.includes('\0')) {
    throw new WorkspaceFileError('binary', `"${clean}": content with NUL characters cannot be written`, clean);
  }
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new WorkspaceFileError('not_a_file', `"${clean}" is a folder`, clean);
  await mkdir(path.dirname(target), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTDIR' && error.code !== 'EEXIST') throw error;
    throw new WorkspaceFileError('not_a_file', `a folder on the way to "${clean}" is a file`, clean);
  });
  await writeFileOnDisk(target, content, 'utf8');
}
