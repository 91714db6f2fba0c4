/** Why a process stops: a signal, or the parent that started it over an IPC channel went away. */
export type StopReason = NodeJS.Signals | 'parent-exit';

export interface StopOnSignalsOptions {
  /** Told why stopping begins, before it begins. */
  readonly onSignal?: (reason: StopReason) => void;
  /** Told when stopping failed; the process then exits with 1. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The one shutdown every `main.ts` uses: the first SIGINT or SIGTERM runs `stop` (once; later signals
 * wait for it), then exits — 0 when everything closed, 1 when stopping failed.
 *
 * A process started with an IPC channel (as `npm start` starts the workers and the orchestrator) also
 * stops when that channel closes: its parent exited, however it died, and a child left behind would go
 * on taking jobs nobody watches.
 */
export const stopOnSignals = (stop: () => Promise<void>, options: StopOnSignalsOptions = {}): void => {
  let stopping = false;
  const shutdown = async (reason: StopReason) => {
    if (stopping) return;
    stopping = true;
    options.onSignal?.(reason);
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      (options.onError ?? console.error)(error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (process.channel) {
    process.once('disconnect', () => void shutdown('parent-exit'));
    // The channel only tells us when the parent goes; it must not keep this process alive by itself.
    process.channel.unref();
  }
};
