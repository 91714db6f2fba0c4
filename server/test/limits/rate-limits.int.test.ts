import { randomBytes } from 'node:crypto';
import { type Config, createRedisClient, loadConfig } from '@ai-org/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits, rateLimitKeyPrefix } from '../../src/limits/rate-limits';

const config = loadConfig(process.env);
const limits = (overrides: Partial<Config['limits']>): Config['limits'] => ({ ...config.limits, ...overrides });
/** A subject no other test uses (the counters live in the shared Redis). */
const unique = (label: string) => `test-${label}-${randomBytes(4).toString('hex')}`;

const refusalOf = (promise: Promise<void>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** The limiter module against the real Redis: callers, failed sign-ins, keys, and a Redis that is away. */
describe('rate limits (module, real Redis)', () => {
  let redis: Redis;
  const keys: string[] = [];
  const keyOf = (limit: string, subject: string) => {
    const key = `${rateLimitKeyPrefix}:${limit}:{${subject}}`;
    keys.push(key);
    return key;
  };

  beforeAll(async () => {
    redis = createRedisClient(config.redis.url, 'producer', 'ai-org-test-rate-limits');
    await redis.connect();
  });
  afterAll(async () => {
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('refuses a caller over requestsPerMinute with RATE_LIMITED and the seconds to wait', async () => {
    const rateLimits = createRateLimits(redis, limits({ requestsPerMinute: 3 }));
    const caller = unique('caller');
    keyOf('caller', caller);
    for (let i = 0; i < 3; i += 1) await rateLimits.consumeCaller(caller);
    const refusal = await refusalOf(rateLimits.consumeCaller(caller));
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    const { retryAfterSeconds } = (refusal as { details: { retryAfterSeconds: number } }).details;
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((refusal as Error).message).toBe(`Too many requests, retry in ${retryAfterSeconds} s`);
    // Another caller is not affected.
    await expect(rateLimits.consumeCaller(unique('other-caller'))).resolves.toBeUndefined();
  });

  it('keeps the count in Redis under a hash-tagged key that expires with its one-minute window', async () => {
    const rateLimits = createRateLimits(redis, limits({ requestsPerAddressPerMinute: 10 }));
    const address = `2001:db8::${randomBytes(2).toString('hex')}`;
    const key = keyOf('address', address);
    await rateLimits.consumeAddress(address);
    await rateLimits.consumeAddress(address);
    expect(await redis.get(key)).toBe('2');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('throttles sign-ins from an address after authFailuresPerMinute failures, even with a good token', async () => {
    const rateLimits = createRateLimits(redis, limits({ authFailuresPerMinute: 3 }));
    const address = unique('auth-address');
    keyOf('auth-failures', address);
    await rateLimits.assertMayAuthenticate(address);
    await rateLimits.authFailed(address);
    await rateLimits.authFailed(address);
    // Two failures: still allowed to try; recording a failure never throws by itself.
    await expect(rateLimits.assertMayAuthenticate(address)).resolves.toBeUndefined();
    await expect(rateLimits.authFailed(address)).resolves.toBeUndefined();
    // The third failure closes the window: the next attempt is refused before any token is looked at.
    const refusal = await refusalOf(rateLimits.assertMayAuthenticate(address));
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    expect((refusal as { code: string }).code).not.toBe('INTERNAL_SERVER_ERROR');
    // Other addresses sign in as before.
    await expect(rateLimits.assertMayAuthenticate(unique('other-address'))).resolves.toBeUndefined();
  });

  it('keeps limiting in memory while Redis is away (neither fail-open nor fail-closed)', async () => {
    // Nothing listens on port 1: the client never becomes ready.
    const away = createRedisClient('redis://127.0.0.1:1', 'producer', 'ai-org-test-redis-away');
    away.on('error', () => undefined);
    away.connect().catch(() => undefined);
    try {
      const rateLimits = createRateLimits(away, limits({ requestsPerAddressPerMinute: 2, authFailuresPerMinute: 1 }));
      await rateLimits.consumeAddress('192.0.2.1');
      await rateLimits.consumeAddress('192.0.2.1');
      expect(await refusalOf(rateLimits.consumeAddress('192.0.2.1'))).toMatchObject({ code: 'RATE_LIMITED' });
      await rateLimits.authFailed('192.0.2.2');
      expect(await refusalOf(rateLimits.assertMayAuthenticate('192.0.2.2'))).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      away.disconnect();
    }
  });
});
