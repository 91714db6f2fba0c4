export interface StopOnSignalsOptions {
  /** Told which signal arrived, before stopping begins. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  /** Told when stopping failed; the process then exits with 1. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The one shutdown every `main.ts` uses: the first SIGINT or SIGTERM runs `stop` (once; later signals
 * wait for it), then exits — 0 when everything closed, 1 when stopping failed.
 */
export const stopOnSignals = (stop: () => Promise<void>, options: StopOnSignalsOptions = {}): void => {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    options.onSignal?.(signal);
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
};
