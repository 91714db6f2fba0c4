import type { BackoffStrategy } from 'bullmq';
import { LlmRateLimitedError } from '../llm';
import { retryBackoff } from '../retry-backoff';

/** Backoff of an agent job: a 429's Retry-After, else exponential with jitter. */
export const agentBackoff = (baseMs: number): BackoffStrategy =>
  retryBackoff(baseMs, (error) => (error instanceof LlmRateLimitedError ? error.retryAfterMs : undefined));
