import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { retryAfterPlugin } from '../../src/limits/retry-after.plugin';
import { anonymousBucket, createTenantCaps, tenantOperationsPlugin } from '../../src/limits/tenant-operations';
import { TenantSlots } from '../../src/limits/tenant-slots';

interface Context {
  readonly identity?: { readonly tenantId: string | null };
}

/**
 * A schema whose `hold` resolver waits until the test lets it finish: a controllable fake execution,
 * so "tenant A holds its operations open" is deterministic. What it proves is the plugin's slot
 * accounting inside Apollo's real request pipeline — not Neo4j's pool.
 */
const fakeServer = (slots: TenantSlots) => {
  const waiting: (() => void)[] = [];
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { hold: Boolean, quick: Boolean, broken: Boolean }',
    resolvers: {
      Query: {
        hold: () => new Promise<boolean>((resolve) => waiting.push(() => resolve(true))),
        quick: () => true,
        broken: () => {
          throw new Error('resolver failed');
        },
      },
    },
    plugins: [tenantOperationsPlugin<Context>(slots), retryAfterPlugin<Context>()],
  });
  const run = (query: string, tenantId: string | null | undefined) =>
    server.executeOperation({ query }, { contextValue: tenantId === undefined ? {} : { identity: { tenantId } } });
  const releaseAll = () => {
    for (const release of waiting.splice(0)) release();
  };
  const whenHolding = async (count: number) => {
    while (waiting.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { server, run, releaseAll, whenHolding };
};

const codesOf = (response: Awaited<ReturnType<ApolloServer<Context>['executeOperation']>>) =>
  response.body.kind === 'single' ? (response.body.singleResult.errors ?? []).map((e) => e.extensions?.code) : [];

describe('per-tenant cap on concurrent GraphQL operations (Apollo plugin, fake execution)', () => {
  it("refuses tenant A's operation over the cap at once with 429 RATE_LIMITED and Retry-After 1, while tenant B's runs", async () => {
    const slots = new TenantSlots(2);
    const fake = fakeServer(slots);
    await fake.server.start();
    try {
      const held = [fake.run('{ hold }', 'tenant-a'), fake.run('{ hold }', 'tenant-a')];
      await fake.whenHolding(2);
      expect(slots.inUse('tenant-a')).toBe(2);

      const refused = await fake.run('{ quick }', 'tenant-a');
      expect(refused.http.status).toBe(429);
      expect(refused.http.headers.get('retry-after')).toBe('1');
      expect(codesOf(refused)).toEqual(['RATE_LIMITED']);

      // At the same moment, tenant B is served.
      const other = await fake.run('{ quick }', 'tenant-b');
      expect(codesOf(other)).toEqual([]);
      expect(other.body.kind === 'single' && other.body.singleResult.data).toEqual({ quick: true });

      fake.releaseAll();
      const done = await Promise.all(held);
      expect(done.map(codesOf)).toEqual([[], []]);
      expect(slots.inUse('tenant-a')).toBe(0);
      // Once A's operations are done, A is served again.
      expect(codesOf(await fake.run('{ quick }', 'tenant-a'))).toEqual([]);
    } finally {
      fake.releaseAll();
      await fake.server.stop();
    }
  });

  it('gives the slot back when an operation fails, is invalid, or is refused', async () => {
    const slots = new TenantSlots(1);
    const fake = fakeServer(slots);
    await fake.server.start();
    try {
      expect(codesOf(await fake.run('{ broken }', 'tenant-c'))).toHaveLength(1);
      expect(codesOf(await fake.run('{ nope }', 'tenant-c'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(slots.inUse('tenant-c')).toBe(0);
      const held = fake.run('{ hold }', 'tenant-c');
      await fake.whenHolding(1);
      expect(codesOf(await fake.run('{ quick }', 'tenant-c'))).toEqual(['RATE_LIMITED']);
      expect(slots.inUse('tenant-c')).toBe(1);
      fake.releaseAll();
      await held;
      expect(slots.inUse('tenant-c')).toBe(0);
    } finally {
      fake.releaseAll();
      await fake.server.stop();
    }
  });

  it('counts requests without an identity in one shared bucket, never against a tenant', async () => {
    const slots = new TenantSlots(1);
    const fake = fakeServer(slots);
    await fake.server.start();
    try {
      const held = fake.run('{ hold }', undefined);
      await fake.whenHolding(1);
      expect(slots.inUse(anonymousBucket)).toBe(1);
      expect(codesOf(await fake.run('{ quick }', undefined))).toEqual(['RATE_LIMITED']);
      expect(codesOf(await fake.run('{ quick }', 'tenant-d'))).toEqual([]);
      fake.releaseAll();
      await held;
    } finally {
      fake.releaseAll();
      await fake.server.stop();
    }
  });
});

describe('per-tenant socket cap (in-process counter)', () => {
  it('accepts socketsPerTenant sockets per tenant, refuses the next, and accepts again after a close', () => {
    const caps = createTenantCaps({
      requestsPerMinute: 600,
      requestsPerAddressPerMinute: 1_200,
      authFailuresPerMinute: 20,
      socketsPerTenant: 2,
      tenantConcurrentOperations: 16,
      neo4jTransactionTimeoutMs: 10_000,
    });
    expect(caps.openSocket('tenant-e')).toBe(true);
    expect(caps.openSocket('tenant-e')).toBe(true);
    expect(caps.openSocket('tenant-e')).toBe(false);
    expect(caps.openSocket('tenant-f')).toBe(true);
    caps.closeSocket('tenant-e');
    expect(caps.openSocket('tenant-e')).toBe(true);
    caps.closeSocket('tenant-e');
    caps.closeSocket('tenant-e');
    caps.closeSocket('tenant-e'); // one close too many is ignored, never negative
    expect(caps.sockets.inUse('tenant-e')).toBe(0);
  });
});
