import type { BackoffStrategy } from 'bullmq';
import { retryBackoff } from '../retry-backoff';
import { WebhookRetryableError } from './webhook-errors';

/** Backoff of a notification: a 429's Retry-After, else exponential with jitter. */
export const notificationBackoff = (baseMs: number): BackoffStrategy =>
  retryBackoff(baseMs, (error) => (error instanceof WebhookRetryableError ? error.retryAfterMs : undefined));
