import { randomBytes } from 'node:crypto';
import { type Config, createRedisClient, isCluster, loadConfig, type RedisClient } from '@ai-org/core';
import { isContiguous, type RedisClusterHandle, startRedisCluster, subscribe, warmUp } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../src/limits/rate-limits';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/** The API with REDIS_CLUSTER_NODES set: live events, health and rate limits on a real Redis Cluster. */
describe('the API on a three-master Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let t: TestApp;
  let config: Config;
  let redis: RedisClient;
  const tenants: string[] = [];
  const tenant = (label: string) => {
    const id = uniqueTenant(label);
    tenants.push(id);
    return id;
  };

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const env = { REDIS_CLUSTER_NODES: cluster.nodes.join(',') };
    t = await startTestApp(env);
    config = loadConfig({ ...process.env, ...env });
    redis = createRedisClient(config.redis, 'producer', 'test-api-cluster');
    await redis.connect();
  });
  afterAll(async () => {
    redis?.disconnect();
    if (t) {
      await deleteTenants(t.bolt, ...tenants);
      await t.stop();
    }
    await cluster?.stop();
  });

  it('reports Redis up in the health check', async () => {
    expect(isCluster(redis)).toBe(true);
    const response = await fetch(`${t.url}/`, { headers: { 'x-tenant-id': tenant('cluster-health') } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ redis: 'up', neo4j: 'up' });
  });

  it('gives each of two tenants only its own events, in sequence, and a snapshot sequence not below them', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
    const [a, b] = [tenant('cluster-live-a'), tenant('cluster-live-b')];
    const subA = subscribe(wsUrl, { 'x-tenant-id': a });
    const subB = subscribe(wsUrl, { 'x-tenant-id': b });
    await warmUp([subA], () => t.gql(createTask, { input: { description: 'warm-up' } }, a));
    await warmUp([subB], () => t.gql(createTask, { input: { description: 'warm-up' } }, b));
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.gql<{ createTask: { id: string } }>(createTask, { input: { description: `#${i}` } }, i % 2 ? a : b),
      ),
    );
    expect(created.filter((c) => c.errors)).toEqual([]);
    for (const [sub, owner] of [
      [subA, a],
      [subB, b],
    ] as const) {
      const idsOf = (who: string) =>
        created.filter((_, i) => (i % 2 ? a : b) === who).map((r) => r.data?.createTask.id);
      const ids = idsOf(owner);
      const others = new Set(idsOf(owner === a ? b : a));
      await sub.waitFor((events) => ids.every((id) => events.some((e) => e.task?.id === id)));
      expect(sub.events.filter((e) => others.has(e.task?.id))).toEqual([]);
      expect(isContiguous(sub.events)).toBe(true);
      const snapshot = await t.gql<{ liveSnapshot: { seq: number } }>('{ liveSnapshot { seq } }', {}, owner);
      expect(snapshot.data?.liveSnapshot.seq).toBeGreaterThanOrEqual(sub.events.at(-1)?.seq ?? Number.MAX_VALUE);
      await sub.dispose();
    }
  });

  it('refuses a caller over requestsPerMinute with the count kept in the cluster', async () => {
    const rateLimits = createRateLimits(redis, { ...config.limits, requestsPerMinute: 3 });
    const caller = `cluster-caller-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 3; i += 1) await rateLimits.consumeCaller(caller);
    await expect(rateLimits.consumeCaller(caller)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
