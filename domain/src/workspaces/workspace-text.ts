import { WorkspaceFileError } from './workspace-file-error';

export const defaultReadMaxBytes = 64 * 1024;
export const defaultWriteMaxBytes = 256 * 1024;

/** Drops a trailing, incomplete UTF-8 sequence that cutting the bytes at a limit left behind. */
function dropPartialCharacter(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

/** Decodes a text file's bytes, refusing what is clearly not text (a NUL byte). */
export function decodeText(bytes: Buffer, file: string, truncated = false): string {
  if (bytes.includes(0)) {
    throw new WorkspaceFileError('binary', `"${file}" is a binary file; only text files can be read`, file);
  }
  return (truncated ? dropPartialCharacter(bytes) : bytes).toString('utf8');
}
