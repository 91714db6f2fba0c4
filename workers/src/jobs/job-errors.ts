/**
 * The two ways a job's call can fail, shared by every worker (agents, notifications). The job's
 * processor acts on the class alone: retry later, or end the job for good. Subclasses say what failed
 * (an LLM, a webhook) and carry its details; their messages never contain a secret.
 */

/** 429, 5xx, timeouts, dropped connections: BullMQ retries the job with backoff (after `retryAfterMs` when asked). */
export class RetryLaterError extends Error {
  /** How long the far side asked us to wait (a 429's Retry-After); else the backoff decides. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { readonly retryAfterMs?: number; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetryLaterError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Other 4xx (bad request, revoked key or webhook), refused input: retrying cannot help. */
export class PermanentJobError extends Error {
  /** The HTTP status that said so, when there was one. */
  readonly status: number | undefined;

  constructor(message: string, options: { readonly status?: number } = {}) {
    super(message);
    this.name = 'PermanentJobError';
    this.status = options.status;
  }
}

/** One of ours: its message is safe to log and to store as the job's failed reason. */
export const isJobError = (error: unknown): error is RetryLaterError | PermanentJobError =>
  error instanceof RetryLaterError || error instanceof PermanentJobError;
