import type { BackoffStrategy } from 'bullmq';
import { WebhookRetryableError } from './webhook-errors';

/**
 * Delay before the next attempt of a notification: what a 429's Retry-After asked for, else
 * exponential from `baseMs` (1×, 2×, 4×, …) with a little jitter.
 */
export const notificationBackoff =
  (baseMs: number): BackoffStrategy =>
  (attemptsMade, _type, error) => {
    if (error instanceof WebhookRetryableError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    return Math.round(exponential * (0.9 + Math.random() * 0.2));
  };
