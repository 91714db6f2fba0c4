import { describe, expect, it } from 'vitest';
import { checkWebhookAddress, classifyWebhookStatus } from './webhook.sender';
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

describe('checkWebhookAddress (before each send)', () => {
  const vendors = ['hooks.slack.com', 'discord.com'];
  const slack = 'https://hooks.slack.com/services/T000/B000/secret';
  /** A resolver answering `addresses` and recording what it was asked. */
  const resolvesTo = (...addresses: string[]) => {
    const asked: string[] = [];
    const lookup = async (host: string) => {
      asked.push(host);
      return addresses;
    };
    return { lookup, asked };
  };

  it('sends to an allowed host that resolves to public addresses', async () => {
    const { lookup, asked } = resolvesTo('34.1.2.3', '2600:1f18::1');
    await expect(checkWebhookAddress(slack, vendors, lookup)).resolves.toBeUndefined();
    expect(asked).toEqual(['hooks.slack.com']);
  });

  it.each([
    ['a loopback address', '127.0.0.1'],
    ['another spelling of loopback', '::ffff:127.0.0.1'],
    ['a private address', '10.0.0.7'],
    ['the cloud metadata address', '169.254.169.254'],
    ['a unique-local IPv6 address', 'fd00::1'],
    ['the unspecified address', '0.0.0.0'],
  ])('refuses an allowed host name that resolves to %s, for good and without the URL', async (_name, address) => {
    const refused = checkWebhookAddress(slack, vendors, resolvesTo('34.1.2.3', address).lookup);
    await expect(refused).rejects.toBeInstanceOf(WebhookPermanentError);
    await expect(refused).rejects.toThrow('webhook host resolves to a loopback or private address');
    await expect(refused).rejects.not.toThrow(/hooks\.slack|secret/);
  });

  it('sends to an allowed loopback host: a literal address without a lookup, localhost to loopback only', async () => {
    const { lookup, asked } = resolvesTo('127.0.0.1', '::1');
    await checkWebhookAddress('http://127.0.0.1:4010/hook', ['127.0.0.1'], lookup);
    await checkWebhookAddress('https://10.0.0.5:8443/hook', ['10.0.0.5'], lookup);
    expect(asked).toEqual([]);
    await checkWebhookAddress('http://localhost:4010/hook', ['localhost'], lookup);
    await expect(
      checkWebhookAddress('http://localhost:4010/hook', ['localhost'], resolvesTo('10.0.0.7').lookup),
    ).rejects.toBeInstanceOf(WebhookPermanentError);
  });

  it('refuses a loopback or private address that is no longer allowed, whatever its spelling', async () => {
    const { lookup } = resolvesTo();
    for (const url of ['http://127.0.0.1:4010/hook', 'http://0x7f000001:4010/hook', 'https://10.0.0.5/hook']) {
      await expect(checkWebhookAddress(url, vendors, lookup)).rejects.toBeInstanceOf(WebhookPermanentError);
    }
  });

  it('retries a host that does not resolve, naming the error code only', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.slack.com'), { code: 'ENOTFOUND' });
    };
    const failed = checkWebhookAddress(slack, vendors, lookup);
    await expect(failed).rejects.toBeInstanceOf(WebhookRetryableError);
    await expect(failed).rejects.toThrow('webhook unreachable (ENOTFOUND)');
  });
});
