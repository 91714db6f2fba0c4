import { PermanentJobError, RetryLaterError } from '../jobs/job-errors';

/** 429: try again after `retryAfterMs` (from the Retry-After header, else a default). */
export class LlmRateLimitedError extends RetryLaterError {
  readonly kind = 'rate-limited';
  override readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
    this.name = 'LlmRateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx, timeouts, dropped connections, malformed bodies: retry with backoff, a bounded number of times. */
export class LlmTransientError extends RetryLaterError {
  readonly kind = 'transient';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmTransientError';
  }
}

/** 4xx other than 429 (bad request, auth, unknown model): retrying cannot help. */
export class LlmPermanentError extends PermanentJobError {
  readonly kind = 'permanent';

  constructor(message: string, status?: number) {
    super(message, status === undefined ? {} : { status });
    this.name = 'LlmPermanentError';
  }
}

/** Every failure an LLM provider reports; `kind` says which. */
export type LlmError = LlmRateLimitedError | LlmTransientError | LlmPermanentError;

export const isLlmError = (error: unknown): error is LlmError =>
  error instanceof LlmRateLimitedError || error instanceof LlmTransientError || error instanceof LlmPermanentError;
