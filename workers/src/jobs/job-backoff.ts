import type { BackoffStrategy } from 'bullmq';

/**
 * Delay before a job's next attempt: what the failed call asked for (a 429's Retry-After, read from
 * the error by `askedDelayMs`), else exponential from `baseMs` (1×, 2×, 4×, …) with ±10 % jitter so
 * retries do not march in step.
 */
export const retryBackoff =
  (baseMs: number, askedDelayMs: (error: Error | undefined) => number | undefined): BackoffStrategy =>
  (attemptsMade, _type, error) => {
    const asked = askedDelayMs(error);
    if (asked !== undefined) return asked;
    const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    return Math.round(exponential * (0.9 + Math.random() * 0.2));
  };
