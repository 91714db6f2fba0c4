import { describe, expect, it } from 'vitest';
import { classifyWebhookStatus } from './webhook.sender';
import { WebhookPermanentError, WebhookRetryableError } from './webhook-errors';

describe('classifyWebhookStatus', () => {
  it('counts 2xx as delivered (Slack answers 200, Discord 204)', () => {
    expect(classifyWebhookStatus(200)).toBe('ok');
    expect(classifyWebhookStatus(204)).toBe('ok');
  });

  it('retries 429 after its Retry-After, and 5xx and 408 with backoff', () => {
    const limited = classifyWebhookStatus(429, new Headers({ 'retry-after': '3' }));
    expect(limited).toBeInstanceOf(WebhookRetryableError);
    expect((limited as WebhookRetryableError).retryAfterMs).toBe(3_000);
    for (const status of [500, 502, 503, 408]) {
      const verdict = classifyWebhookStatus(status);
      expect(verdict).toBeInstanceOf(WebhookRetryableError);
      expect((verdict as WebhookRetryableError).retryAfterMs).toBeUndefined();
    }
  });

  it('gives up on other 4xx and on redirects', () => {
    for (const status of [400, 401, 403, 404, 410, 301, 302]) {
      expect(classifyWebhookStatus(status)).toBeInstanceOf(WebhookPermanentError);
    }
  });
});
