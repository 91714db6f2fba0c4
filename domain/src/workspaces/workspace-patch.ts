import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch as applyToText, parsePatch, type StructuredPatch } from 'diff';
import { WorkspaceFileError } from './workspace-file-error';
import { normalizeRelativePath, resolveInside } from './workspace-paths';
import { decodeText, defaultWriteMaxBytes } from './workspace-text';

export const maxPatchFiles = 50;
export const maxPatchBytes = 1024 * 1024;
const devNull = '/dev/null';

export interface PatchResult {
  readonly files: { path: string; action: 'created' | 'modified' | 'deleted' }[];
}

/** Strips git's `a/` and `b/` prefixes when both names carry them (or one side is /dev/null). */
function fileNames(entry: StructuredPatch): { from: string | null; to: string | null } {
  const oldName = entry.oldFileName ?? '';
  const newName = entry.newFileName ?? '';
  const gitStyle =
    (oldName === devNull || oldName.startsWith('a/')) &&
    (newName === devNull || newName.startsWith('b/')) &&
    !(oldName === devNull && newName === devNull);
  const clean = (name: string): string | null => {
    if (name === devNull) return null;
    return normalizeRelativePath(gitStyle ? name.slice(2) : name);
  };
  return { from: clean(oldName), to: clean(newName) };
}

function hunkLabel(entry: StructuredPatch, index: number): string {
  const hunk = entry.hunks[index];
  if (!hunk) return `hunk ${index + 1}`;
  return `hunk ${index + 1} (@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@)`;
}

/** Applies one file's hunks to its text; on failure names the first hunk that does not fit. */
function patchText(source: string, entry: StructuredPatch, file: string): string {
  const patched = applyToText(source, entry);
  if (patched !== false) return patched;
  let failing = entry.hunks.length - 1;
  for (let count = 1; count <= entry.hunks.length; count++) {
    if (applyToText(source, { ...entry, hunks: entry.hunks.slice(0, count) }) === false) {
      failing = count - 1;
      break;
    }
  }
  throw new WorkspaceFileError(
    'patch_failed',
    `${hunkLabel(entry, failing)} of "${file}" does not match the file's current content; nothing was changed`,
    file,
  );
}

function parseEntries(patchText: string): StructuredPatch[] {
  if (Buffer.byteLength(patchText, 'utf8') > maxPatchBytes) {
    throw new WorkspaceFileError('too_large', `the patch is larger than ${maxPatchBytes} bytes`);
  }
  let entries: StructuredPatch[];
  try {
    entries = parsePatch(patchText);
  } catch (error) {
    throw new WorkspaceFileError('patch_invalid', `the patch is not a valid unified diff: ${(error as Error).message}`);
  }
  entries = entries.filter((entry) => entry.hunks.length > 0 || entry.oldFileName || entry.newFileName);
  if (entries.length === 0) throw new WorkspaceFileError('patch_invalid', 'the patch changes no file');
  for (const entry of entries) {
    if (!entry.oldFileName || !entry.newFileName) {
      throw new WorkspaceFileError('patch_invalid', 'every file in the patch needs "---" and "+++" lines');
    }
  }
  return entries;
}

/**
 * Applies a unified diff (one or several files; creation and deletion through /dev/null) to a worktree,
 * all or nothing: every file is patched in memory first, and only when all hunks fit is anything written.
 */
export async function applyPatch(dir: string, patch: string): Promise<PatchResult> {
  const entries = parseEntries(patch);
  const next = new Map<string, string | null>(); // workspace path → new content, null when deleted
  const existedBefore = new Map<string, boolean>();
  const current = async (file: string): Promise<string | null> => {
    if (next.has(file)) return next.get(file) ?? null;
    const target = resolveInside(dir, file);
    const info = await stat(target).catch(() => null);
    existedBefore.set(file, info !== null);
    if (!info) return null;
    if (!info.isFile()) throw new WorkspaceFileError('not_a_file', `"${file}" is not a file`, file);
    return decodeText(await readFile(target), file);
  };
  for (const entry of entries) {
    const { from, to } = fileNames(entry);
    const source = from === null ? null : await current(from);
    if (from !== null && source === null) {
      throw new WorkspaceFileError('patch_failed', `"${from}" does not exist; nothing was changed`, from);
    }
    if (from === null && to !== null && (await current(to)) !== null) {
      throw new WorkspaceFileError(
        'patch_failed',
        `"${to}" already exists, so it cannot be created; nothing was changed`,
        to,
      );
    }
    const file = to ?? from ?? '';
    const result = patchText(source ?? '', entry, file);
    if (to === null) {
      if (result !== '') {
        throw new WorkspaceFileError(
          'patch_failed',
          `the deletion of "${file}" does not remove all of its lines; nothing was changed`,
          file,
        );
      }
      next.set(file, null);
      continue;
    }
    if (Buffer.byteLength(result, 'utf8') > defaultWriteMaxBytes) {
      throw new WorkspaceFileError('too_large', `"${to}" would be larger than ${defaultWriteMaxBytes} bytes`, to);
    }
    if (from !== null && from !== to) {
      if ((await current(to)) !== null) {
        throw new WorkspaceFileError(
          'patch_failed',
          `"${to}" already exists, so "${from}" cannot be renamed to it`,
          to,
        );
      }
      next.set(from, null);
    }
    next.set(to, result);
    if (next.size > maxPatchFiles) {
      throw new WorkspaceFileError('too_many_files', `a patch may change at most ${maxPatchFiles} files`);
    }
  }
  await writeAll(dir, next);
  return {
    files: [...next.entries()].map(([file, content]) => ({
      path: file,
      action: content === null ? 'deleted' : existedBefore.get(file) ? 'modified' : 'created',
    })),
  };
}

/** Writes every new content under a temporary name first, then renames; deletions come last. */
async function writeAll(dir: string, next: Map<string, string | null>): Promise<void> {
  const suffix = `.ai-org-patch-${randomBytes(6).toString('hex')}`;
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const [file, content] of next) {
      if (content === null) continue;
      const target = resolveInside(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(`${target}${suffix}`, content, 'utf8');
      staged.push({ temp: `${target}${suffix}`, target });
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, target } of staged) await rename(temp, target);
  for (const [file, content] of next) {
    if (content === null) await rm(resolveInside(dir, file), { force: true });
  }
}
