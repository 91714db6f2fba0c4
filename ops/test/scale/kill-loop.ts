import { setTimeout as delay } from 'node:timers/promises';
import type { Replicas } from './replicas';

export interface KillLoop {
  /** How each killed process ended, in kill order (SIGKILL expected every time). */
  readonly kills: readonly { readonly name: string; readonly signal: string | null }[];
  /** Stops killing; resolves once every killed process answers again (rejects if one could not start). */
  stop(): Promise<void>;
}

/**
 * Every `everyMs`, kills the next of `names` with SIGKILL and starts it again, without waiting for the
 * new process to be up (on a busy machine that takes longer than the pace of the kills): jobs are cut
 * off in the middle for the whole run and replacements keep joining. Two of `names` at least are up
 * before one is killed (a process still starting is not killed again), so the run goes on.
 */
export const startKillLoop = (replicas: Replicas, names: readonly string[], everyMs: number): KillLoop => {
  const kills: { name: string; signal: string | null }[] = [];
  const restarts: Promise<void>[] = [];
  const starting = new Set<string>();
  const failures: unknown[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let turn = 0; ; turn += 1) {
      await delay(everyMs); // the pace of the faults, not a condition anything waits for
      if (stopped) return;
      const up = names.filter((name) => replicas.isRunning(name) && !starting.has(name));
      if (up.length < 2) continue;
      const name = up[turn % up.length] as string;
      const ended = await replicas.kill(name, 'SIGKILL');
      kills.push({ name, signal: ended.signal });
      starting.add(name);
      restarts.push(
        replicas.restart(name).then(
          () => {
            starting.delete(name);
          },
          (error: unknown) => {
            failures.push(error);
          },
        ),
      );
    }
  })();
  return {
    kills,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(restarts);
      if (failures.length > 0) throw failures[0];
    },
  };
};
