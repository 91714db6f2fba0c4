import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** A service this process started (and must stop), or one that was already running. */
export interface RunningService {
  readonly name: string;
  /** True when this process started it. */
  readonly startedHere: boolean;
  stop(): Promise<void>;
}

export const alreadyRunning = (name: string): RunningService => ({ name, startedHere: false, stop: async () => {} });

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SpawnOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Resolves once the service answers. */
  readonly ready: () => Promise<boolean>;
  readonly timeoutMs: number;
}

/**
 * Starts a service in its own process group (so the terminal's Ctrl-C reaches us, not it, and we
 * stop things in order), waits until `ready()` answers, and returns how to stop it.
 */
export const spawnService = async (options: SpawnOptions): Promise<RunningService> => {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(options.command, [...options.args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...options.env },
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  child.once('error', () => {
    exited = -1;
  });

  const deadline = Date.now() + options.timeoutMs;
  while (!(await options.ready())) {
    if (exited !== undefined) {
      throw new Error(`${options.name} exited (code ${exited}) before it was ready; see ${options.logFile}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(
        `${options.name} did not become ready within ${options.timeoutMs / 1000} s; see ${options.logFile}`,
      );
    }
    await sleep(500);
  }

  return {
    name: options.name,
    startedHere: true,
    stop: async () => {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
    },
  };
};
