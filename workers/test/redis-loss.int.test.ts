import {
  AgentQueues,
  agentRoles,
  createRedisClient,
  dispatchIdOf,
  parseTenantEvent,
  scanKeys,
  tenantEventChannel,
} from '@ai-org/core';
import { TaskRunRepository } from '@ai-org/schema';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkers, type Workers } from '../src/app';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

/**
 * What a Redis that lost its data leaves of one tenant: nothing. Its role queues (every job, waiting
 * or active) and every key hash-tagged with it (budget, events sequence, alerts) are deleted; other
 * tenants' keys, which share this Redis, are left alone.
 */
const loseTenantRedisData = async (h: Harness): Promise<void> => {
  const redis = createRedisClient(h.config.redis.url, 'worker', 'test-redis-loss');
  await redis.connect();
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  try {
    for (const role of agentRoles) await queues.queue(h.tenant, role).obliterate({ force: true });
    const keys = await scanKeys(redis, `*{${h.tenant}}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await queues.close();
    redis.disconnect();
  }
};

describe('Redis losing a tenant’s data mid-run', () => {
  let h: Harness;
  let subscriber: Redis;
  let orchestrator: Orchestrator | undefined;
  const stopped: Workers[] = [];
  const seqs: number[] = [];

  beforeAll(async () => {
    h = await createHarness({ RECOVER_QUEUED_AFTER_MS: '1000' });
    subscriber = createRedisClient(h.config.redis.url, 'worker', 'test-redis-loss-events');
    await subscriber.connect();
    subscriber.on('message', (_channel, message) => {
      const event = parseTenantEvent(message);
      if (event) seqs.push(event.seq);
    });
    await subscriber.subscribe(tenantEventChannel(h.tenant));
  });
  afterAll(async () => {
    for (const workers of stopped) await workers.stop().catch(() => undefined);
    await orchestrator?.stop();
    subscriber.disconnect();
    await h.close();
  });

  it('puts queued and doing tasks back, runs each to done once, charges each once and holds nothing', async () => {
    const runs = new TaskRunRepository(h.bolt, h.config.neo4j.database);
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({
      tasks: ['settled', 'queued', 'doing'].map((key) => ({
        key,
        description: `before the loss: ${key}`,
        owner: 'dev',
        tokensPlan: 3,
      })),
    });
    const [settled, queued, doing] = [ids.settled, ids.queued, ids.doing] as [string, string, string];

    // One task runs to done and is settled before the loss.
    const early = buildWorkers(h.config, { llm: new OfflineProvider() });
    stopped.push(early);
    await early.start();
    await h.dispatch.dispatch(h.tenant, settled);
    await h.waitForStatus(settled, 'done');
    await early.stop();
    stopped.pop();

    // One task waits on its queue, one runs (a worker took its job): both hold a reservation.
    await h.dispatch.dispatch(h.tenant, queued);
    await h.dispatch.dispatch(h.tenant, doing);
    expect((await runs.startRun(h.tenant, doing, dispatchIdOf(doing, 1))).state).toBe('run');
    expect((await h.store.read(h.tenant))?.reserved).toBeGreaterThan(0);
    await expect.poll(() => seqs.length).toBeGreaterThan(0);
    const seqsBefore = seqs.length;

    await loseTenantRedisData(h);
    expect(await h.store.read(h.tenant)).toBeNull();

    // The orchestrator's ticks put both back (once they are older than the grace period) and dispatch them again.
    orchestrator = buildOrchestrator(h.config, { llm: new OfflineProvider(), onTick: () => {} });
    const recovering = orchestrator;
    await expect
      .poll(
        async () => {
          await recovering.tick(h.tenant);
          return Promise.all([queued, doing].map(async (id) => (await h.tasks.get(h.tenant, id)).dispatchCount));
        },
        { timeout: 20_000, interval: 200 },
      )
      .toEqual([2, 2]);

    await h.startWorkers(new OfflineProvider());
    for (const id of [settled, queued, doing]) await h.waitForStatus(id, 'done');

    const { records } = await h.bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})
       RETURN t.id AS id, t.dispatchCount AS dispatches, COUNT { (t)-[:PRODUCED]->(:Artifact) } AS artifacts,
              [(t)-[:PRODUCED]->(a:Artifact) | a.tokensUsed][0] AS used ORDER BY id`,
      { tenant: h.tenant },
    );
    const byId = new Map(records.map((r) => [r.get('id') as string, r]));
    expect([settled, queued, doing].map((id) => Number(byId.get(id)?.get('dispatches')))).toEqual([1, 2, 2]);
    expect(records.map((r) => Number(r.get('artifacts')))).toEqual([1, 1, 1]);
    const cost = records.reduce((sum, r) => sum + h.budget.costOfTokens(Math.round(Number(r.get('used')) * 1000)), 0);

    await expect.poll(async () => (await h.store.read(h.tenant))?.spent, { timeout: 10_000 }).toBe(cost);
    expect(await h.store.read(h.tenant)).toEqual({
      left: 1_000_000 - cost,
      reserved: 0,
      spent: cost,
      funded: 1_000_000,
    });
    // Three runs charged, the two lost dispatches released at zero; every reservation settled once.
    const totals = await ledgerTotals(h.bolt, h.tenant);
    expect(totals.settle).toEqual({ total: cost, count: 5 });
    expect(totals.reserve?.count).toBe(5);
    const ledger = await h.budget.resetFromLedger(h.tenant);
    expect(ledger).toEqual({ left: 1_000_000 - cost, reserved: 0, spent: cost, funded: 1_000_000 });

    // A subscriber's sequence numbers never went backwards across the loss.
    expect(seqs.length).toBeGreaterThan(seqsBefore);
    expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? 0))).toBe(true);
  });
});
