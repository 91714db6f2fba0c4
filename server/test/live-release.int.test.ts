import { createRedisClient, loadConfig, tenantEventChannel } from '@ai-org/core';
import { freePort, type Subscriber, subscribe, warmUp } from '@ai-org/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const released = { timeout: 10_000, interval: 50, message: 'released without a further event' };

/**
 * A closed socket (or a completed subscription) gives back its Redis subscription and its place in
 * the connection gauge at once, not when the tenant's next event happens to arrive. The tenant is
 * quiet: after the warm-up nothing is published, so only the release itself can bring the counts down.
 */
describe('releasing live subscriptions', () => {
  let t: TestApp;
  let wsUrl: string;
  let metricsUrl: string;
  let redis: Redis;
  const tenants: string[] = [];
  const tenant = (label: string) => {
    const id = uniqueTenant(label);
    tenants.push(id);
    return id;
  };

  /** Redis subscribers of the tenant's channel (the API holds one per channel while anyone listens). */
  const numsub = async (tenantId: string) => {
    const [, count] = (await redis.pubsub('NUMSUB', tenantEventChannel(tenantId))) as [string, number];
    return Number(count);
  };
  /** The API's `ai_org_subscription_connections`, read from its metrics listener (not on the API port). */
  const connectionGauge = async () => {
    const text = await (await fetch(metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith('ai_org_subscription_connections '));
    return Number(line?.split(' ')[1]);
  };
  /** `count` sockets of a quiet tenant, each with a subscription that has delivered (so is in place). */
  const openQuiet = async (label: string, count: number) => {
    const owner = tenant(label);
    const subs: Subscriber[] = Array.from({ length: count }, () => subscribe(wsUrl, { 'x-tenant-id': owner }));
    await warmUp(subs, () => t.gql(createTask, { input: { description: 'warm-up' } }, owner));
    return { owner, subs };
  };

  beforeAll(async () => {
    const metricsPort = await freePort();
    t = await startTestApp({ METRICS_PORT: String(metricsPort) });
    wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
    metricsUrl = `http://${new URL(t.url).hostname}:${metricsPort}/metrics`;
    redis = createRedisClient(loadConfig(process.env).redis.url, 'worker', 'test-live-release');
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteTenants(t.bolt, ...tenants);
    await t.stop();
  });

  it('releases the Redis subscription and the connection gauge when sockets of a quiet tenant close', async () => {
    const before = await connectionGauge();
    const { owner, subs } = await openQuiet('live-close', 20);
    expect(await numsub(owner)).toBe(1);
    expect(await connectionGauge()).toBe(before + 20);

    await Promise.all(subs.map((sub) => sub.dispose()));

    await expect.poll(() => numsub(owner), released).toBe(0);
    await expect.poll(connectionGauge, released).toBe(before);
  });

  it('releases the Redis subscription when a client completes its subscription and keeps the socket', async () => {
    const before = await connectionGauge();
    const { owner, subs } = await openQuiet('live-complete', 20);
    expect(await numsub(owner)).toBe(1);

    for (const sub of subs) sub.unsubscribe();

    await expect.poll(() => numsub(owner), released).toBe(0);
    expect(await connectionGauge()).toBe(before + 20);
    await Promise.all(subs.map((sub) => sub.dispose()));
    await expect.poll(connectionGauge, released).toBe(before);
  });
});
