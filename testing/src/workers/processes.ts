import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from './harness';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs one of the project's entry points (`workers/src/main.ts`, …) as its own process, with test timings. */
export const spawnEntry = (entry: string, env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: testEnv(env) as NodeJS.ProcessEnv,
  });

/** Resolves with how the process ended (at once if it already has). */
export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
