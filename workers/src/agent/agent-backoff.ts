import type { BackoffStrategy } from 'bullmq';
import { LlmRateLimitedError } from '../llm';

/**
 * Delay before the next attempt of an agent job: what a 429's Retry-After asked for, else
 * exponential from `baseMs` (1×, 2×, 4×, …) with a little jitter so retries do not march in step.
 */
export const agentBackoff =
  (baseMs: number): BackoffStrategy =>
  (attemptsMade, _type, error) => {
    if (error instanceof LlmRateLimitedError) return error.retryAfterMs;
    const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    return Math.round(exponential * (0.9 + Math.random() * 0.2));
  };
