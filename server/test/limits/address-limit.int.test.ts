import { randomBytes } from 'node:crypto';
import { createRedisClient, loadConfig } from '@ai-org/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKeyPrefix } from '../../src/limits/rate-limits';
import { startTestApp, type TestApp } from '../test-app';

/** An address no other test uses, from the documentation range (sent as X-Forwarded-For through a trusted loopback proxy). */
const uniqueAddress = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;
const perAddress = 4;
const query = JSON.stringify({ query: '{ __typename }' });

/** Requests per client address over HTTP, counted in Redis: 429 with Retry-After and the route's error shape. */
describe('per-address rate limit (real app, real Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let untrusting: TestApp;
  let redis: Redis;
  const addresses: string[] = [];
  const fresh = () => {
    const address = uniqueAddress();
    addresses.push(address);
    return address;
  };
  const post = (app: TestApp, address: string) =>
    fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: query,
    });

  beforeAll(async () => {
    const limited = { RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(perAddress), TRUST_PROXY: 'loopback' };
    [a, b, untrusting] = await Promise.all([startTestApp(limited), startTestApp(limited), startTestApp()]);
    redis = createRedisClient(loadConfig(process.env).redis.url, 'producer', 'ai-org-test-address-limit');
    await redis.connect();
  });
  afterAll(async () => {
    await redis.del(...addresses.map((address) => `${rateLimitKeyPrefix}:address:{${address}}`));
    redis.disconnect();
    await Promise.all([a?.stop(), b?.stop(), untrusting?.stop()]);
  });

  it('answers /graphql over the limit with 429, Retry-After and RATE_LIMITED in GraphQL error shape', async () => {
    const address = fresh();
    for (let i = 0; i < perAddress; i += 1) expect((await post(a, address)).status).not.toBe(429);
    const refused = await post(a, address);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([
      {
        message: `Too many requests, retry in ${retryAfter} s`,
        extensions: { code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter } },
      },
    ]);
  });

  it('answers REST routes over the limit in the REST error shape, and never counts the health route', async () => {
    const address = fresh();
    const headers = { 'x-forwarded-for': address };
    for (let i = 0; i < perAddress + 3; i += 1) expect((await fetch(`${a.url}/`, { headers })).status).not.toBe(429);
    for (let i = 0; i < perAddress; i += 1) expect((await fetch(`${a.url}/backlog`, { headers })).status).not.toBe(429);
    const refused = await fetch(`${a.url}/backlog`, { headers });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    // Another address is not affected.
    expect((await fetch(`${a.url}/backlog`, { headers: { 'x-forwarded-for': fresh() } })).status).not.toBe(429);
  });

  it('shares one count per address between API instances through Redis', async () => {
    const address = fresh();
    expect((await post(a, address)).status).not.toBe(429);
    expect((await post(b, address)).status).not.toBe(429);
    expect((await post(a, address)).status).not.toBe(429);
    expect((await post(b, address)).status).not.toBe(429);
    expect(await redis.get(`${rateLimitKeyPrefix}:address:{${address}}`)).toBe(String(perAddress));
    expect((await post(a, address)).status).toBe(429);
    expect((await post(b, address)).status).toBe(429);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy (a client cannot pick its address)', async () => {
    const spoofed = fresh();
    expect((await post(untrusting, spoofed)).status).not.toBe(429);
    expect(await redis.exists(`${rateLimitKeyPrefix}:address:{${spoofed}}`)).toBe(0);
  });
});
