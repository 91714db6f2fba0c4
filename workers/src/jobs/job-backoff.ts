import type { BackoffStrategy } from 'bullmq';
import { RetryLaterError } from './job-errors';

/**
 * Delay before a job's next attempt, for every queue: what the failed call asked for (a 429's
 * Retry-After, carried by RetryLaterError), else exponential from `baseMs` (1×, 2×, 4×, …) with
 * ±10 % jitter so retries do not march in step.
 */
export const jobBackoff =
  (baseMs: number): BackoffStrategy =>
  (attemptsMade, _type, error) =>
    backoffDelayMs(baseMs, attemptsMade, error);

/** The same rule for calls retried in place (the planner's): delay after the `attemptsMade`-th failed attempt. */
export const backoffDelayMs = (baseMs: number, attemptsMade: number, error: unknown): number => {
  if (error instanceof RetryLaterError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(exponential * (0.9 + Math.random() * 0.2));
};
