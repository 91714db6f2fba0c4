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

/** The longest a job waits between two tries while Neo4j or Redis is away (so it resumes soon after). */
export const maxOutageDelayMs = 10_000;

/**
 * Delay before a job tries again after its `retries`-th try in a row hit an outage of Neo4j or Redis:
 * exponential from `baseMs`, ±10 % jitter, never more than `maxOutageDelayMs`.
 */
export const outageDelayMs = (baseMs: number, retries: number): number =>
  Math.min(maxOutageDelayMs, backoffDelayMs(baseMs, Math.min(retries, 30), undefined));
