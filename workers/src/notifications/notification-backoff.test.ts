import { describe, expect, it } from 'vitest';
import { notificationBackoff } from './notification-backoff';
import { WebhookRetryableError } from './webhook-errors';

describe('notificationBackoff', () => {
  const backoff = notificationBackoff(1_000);

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
