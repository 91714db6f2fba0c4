export interface ResyncScheduler {
  /** Asks for a snapshot; requests while one is running (or too soon after) are merged into one. */
  request(): void;
  dispose(): void;
}

export interface ResyncSchedulerOptions {
  /** Fetches and applies a snapshot; resolves true when yet another one is needed. */
  readonly run: () => Promise<boolean>;
  /** Least time between two snapshot requests. */
  readonly minGapMs: number;
  /** Wait after a failed request before trying again. */
  readonly retryMs: number;
}

/** At most one snapshot request in flight, at most one queued, never more often than `minGapMs`. */
export const createResyncScheduler = ({ run, minGapMs, retryMs }: ResyncSchedulerOptions): ResyncScheduler => {
  let running = false;
  let queued = false;
  let disposed = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const start = async (): Promise<void> => {
    timer = undefined;
    if (disposed) return;
    running = true;
    queued = false;
    lastStart = Date.now();
    let again = false;
    let delay = minGapMs;
    try {
      again = await run();
    } catch {
      again = true;
      delay = retryMs;
    }
    running = false;
    if (again || queued) schedule(delay);
  };

  const schedule = (delay: number): void => {
    if (disposed || timer !== undefined) return;
    timer = setTimeout(() => void start(), Math.max(0, delay));
  };

  return {
    request() {
      if (running) {
        queued = true;
        return;
      }
      schedule(lastStart + minGapMs - Date.now());
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
};
