import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run api` as its own process, with the given environment on top of the test run's. */
const startApi = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0', METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });

describe('starting the API in production', () => {
  it('refuses development identity with a clear message naming what to set, and no stack trace', async () => {
    const { code, stderr } = await startApi({ NODE_ENV: 'production', AUTH_MODE: 'development' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/development identity .* refused with NODE_ENV=production; set AUTH_MODE=token/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
