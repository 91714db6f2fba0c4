/** Base of every failure an LLM provider reports; `kind` decides what the worker does with it. */
export abstract class LlmError extends Error {
  abstract readonly kind: 'rate-limited' | 'transient' | 'permanent';
}

/** 429: try again after `retryAfterMs` (from the Retry-After header, else a default). */
export class LlmRateLimitedError extends LlmError {
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'LlmRateLimitedError';
  }
}

/** 5xx, timeouts, dropped connections, malformed bodies: retry with backoff, a bounded number of times. */
export class LlmTransientError extends LlmError {
  readonly kind = 'transient';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmTransientError';
  }
}

/** 4xx other than 429 (bad request, auth, unknown model): retrying cannot help. */
export class LlmPermanentError extends LlmError {
  readonly kind = 'permanent';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmPermanentError';
  }
}
