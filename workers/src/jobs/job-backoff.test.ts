import { describe, expect, it } from 'vitest';
import { LlmRateLimitedError, LlmTransientError } from '../llm';
import { WebhookRetryableError } from '../notifications/webhook-errors';
import { jobBackoff, maxOutageDelayMs, outageDelayMs } from './job-backoff';

describe('jobBackoff of an agent job', () => {
  it("waits exactly what a 429's Retry-After asked for", () => {
    expect(jobBackoff(100)(1, 'agent', new LlmRateLimitedError('slow down', 7_000))).toBe(7_000);
  });

  it('backs off exponentially, with at most 10% jitter, for transient errors', () => {
    const backoff = jobBackoff(1_000);
    const error = new LlmTransientError('502');
    for (const [attempt, expected] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
    ] as const) {
      const delay = backoff(attempt, 'agent', error) as number;
      expect(delay).toBeGreaterThanOrEqual(expected * 0.9);
      expect(delay).toBeLessThanOrEqual(expected * 1.1);
    }
  });
});

describe('jobBackoff of a notification', () => {
  const backoff = jobBackoff(1_000);

  it('waits as long as a 429 asked', () => {
    expect(backoff(1, 'notification', new WebhookRetryableError('429', 7_000))).toBe(7_000);
  });

  it('grows exponentially from the base otherwise, within ±10 %', () => {
    for (const [attempt, expected] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
    ] as const) {
      const delay = Number(backoff(attempt, 'notification', new WebhookRetryableError('500')));
      expect(delay).toBeGreaterThanOrEqual(expected * 0.9);
      expect(delay).toBeLessThanOrEqual(expected * 1.1);
    }
  });
});

describe('outageDelayMs', () => {
  it('grows from the base like a retry and stops at maxOutageDelayMs, however long the outage lasts', () => {
    const first = outageDelayMs(1_000, 1);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThanOrEqual(1_100);
    expect(outageDelayMs(1_000, 5)).toBe(maxOutageDelayMs); // 16 s ± 10 %, capped
    expect(outageDelayMs(1_000, 1_000)).toBe(maxOutageDelayMs);
  });
});
