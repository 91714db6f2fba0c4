import { PermanentJobError, RetryLaterError } from '../jobs/job-errors';

/*
 * Why a webhook call failed. Messages name the status or the network error code only, never the
 * URL (a secret): BullMQ stores them in Redis as the job's failed reason, and they are logged.
 */

/** 429, 5xx, 408, timeouts, refused or dropped connections: retry with backoff (429: after Retry-After). */
export class WebhookRetryableError extends RetryLaterError {
  readonly kind = 'retryable';

  constructor(message: string, retryAfterMs?: number) {
    super(message, retryAfterMs === undefined ? {} : { retryAfterMs });
    this.name = 'WebhookRetryableError';
  }
}

/** Other 4xx (revoked or wrong webhook, bad payload) and redirects: retrying cannot help. */
export class WebhookPermanentError extends PermanentJobError {
  readonly kind = 'permanent';

  constructor(message: string, status?: number) {
    super(message, status === undefined ? {} : { status });
    this.name = 'WebhookPermanentError';
  }
}
