import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from '../test-app';

/**
 * TENANT_MAX_CONCURRENT_OPERATIONS through the real app: a burst of concurrent generated reads of one
 * tenant overlaps in Neo4j, so with a cap of 1 some of them are refused. The exact accounting (tenant B
 * served while A is held) is proved deterministically in tenant-operations.test.ts.
 */
describe('per-tenant cap on concurrent operations (real app, burst)', () => {
  let t: TestApp;
  const [a, b] = [uniqueTenant('ops-a'), uniqueTenant('ops-b')];
  const read = (tenant: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
      body: JSON.stringify({ query: '{ tasks(limit: 20) { id description } }' }),
    });

  beforeAll(async () => {
    t = await startTestApp({ TENANT_MAX_CONCURRENT_OPERATIONS: '1' });
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, a, b);
    await t.stop();
  });

  it('refuses part of a burst with 429 RATE_LIMITED and Retry-After 1, answers the rest, and serves again after', async () => {
    const responses = await Promise.all(Array.from({ length: 30 }, () => read(a)));
    const refused = responses.filter((response) => response.status === 429);
    const served = responses.filter((response) => response.status === 200);
    expect(refused.length + served.length).toBe(30);
    expect(refused.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('1');
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((error) => error.extensions.code)).toEqual(['RATE_LIMITED']);
    }
    // Every slot was given back: one request at a time is always served, for A and for B.
    expect((await read(a)).status).toBe(200);
    expect((await read(b)).status).toBe(200);
  });
});
