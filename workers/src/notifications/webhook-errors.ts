/**
 * Why a webhook call failed. Messages name the status or the network error code only, never the
 * URL (a secret): BullMQ stores them in Redis as the job's failed reason, and they are logged.
 */
export abstract class WebhookError extends Error {
  abstract readonly kind: 'retryable' | 'permanent';
}

/** 429, 5xx, 408, timeouts, refused or dropped connections: retry with backoff (429: after Retry-After). */
export class WebhookRetryableError extends WebhookError {
  readonly kind = 'retryable';
  constructor(
    message: string,
    /** Set for 429: how long the receiver asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WebhookRetryableError';
  }
}

/** Other 4xx (revoked or wrong webhook, bad payload) and redirects: retrying cannot help. */
export class WebhookPermanentError extends WebhookError {
  readonly kind = 'permanent';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookPermanentError';
  }
}
