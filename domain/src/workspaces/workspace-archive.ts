import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gitTimeoutMs, runGit } from './git';

const execFileAsync = promisify(execFile);

/** The SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * Makes `finalPath` with `produce(tempPath)` unless it already exists. The file only ever appears under its
 * final name complete (rename), so a crash leaves at most a temporary file behind.
 */
export async function produceOnce(finalPath: string, produce: (tempPath: string) => Promise<void>): Promise<void> {
  if (await exists(finalPath)) return;
  const temp = `${finalPath}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await produce(temp);
    await rename(temp, finalPath);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Writes a commit's tree as plain files into `target` (created; no `.git`), through a tar archive. */
export async function exportCommit(repo: string, commit: string, target: string): Promise<void> {
  await mkdir(target, { recursive: false });
  const tar = `${target}.tar`;
  try {
    await runGit(['archive', '--format=tar', '-o', tar, commit], { cwd: repo });
    await execFileAsync('tar', ['-x', '--no-same-owner', '-f', tar, '-C', target], {
      cwd: path.dirname(target),
      timeout: gitTimeoutMs,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
  } finally {
    await rm(tar, { force: true });
  }
}
