import { randomBytes } from 'node:crypto';
import {
  AgentQueues,
  type AgentRole,
  agentBackoffType,
  agentQueueName,
  agentRoles,
  allTenantEventsPattern,
  BudgetStore,
  budgetKeys,
  type Config,
  checkRedisPolicy,
  createRedisClient,
  EventPublisher,
  eventSequenceKey,
  isCluster,
  loadConfig,
  NotificationQueues,
  notificationQueueName,
  parseTenantEvent,
  queuePrefix,
  type RedisClient,
  type RedisRole,
  readSequence,
  scanKeys,
  tenantEventChannel,
} from '@ai-org/core';
import { type RedisClusterHandle, startRedisCluster } from '@ai-org/testing';
import { createHarness, ledgerTotals } from '@ai-org/testing/workers';
import { type Job, Worker } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../src/llm';
import { WorkerPool } from '../src/worker-pool';

/**
 * Everything that keeps state in Redis, on a real three-master Redis Cluster (started for this file):
 * every multi-key script and every BullMQ queue must keep to one slot, which Redis Cluster enforces.
 */
describe('on a three-master Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let config: Config;
  const clients: RedisClient[] = [];
  const connect = async (role: RedisRole, name: string): Promise<Cluster> => {
    const client = createRedisClient(config.redis, role, name);
    clients.push(client);
    await client.connect();
    if (!isCluster(client)) throw new Error('REDIS_CLUSTER_NODES did not give a cluster client');
    return client;
  };
  /** The master that owns `key`'s slot, as `host:port`. */
  const ownerOf = async (client: Cluster, key: string): Promise<{ slot: number; node: string | undefined }> => {
    const slot = Number(await client.cluster('KEYSLOT', key));
    return { slot, node: client.slots[slot]?.[0] };
  };
  const newTenant = (name: string) => `cl-${name}-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    config = loadConfig({ REDIS_CLUSTER_NODES: cluster.nodes.join(','), JOB_ATTEMPTS: '1', JOB_BACKOFF_MS: '0' });
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it('connects a Cluster client from REDIS_CLUSTER_NODES and finds three masters', async () => {
    const client = await connect('producer', 'test-cluster-masters');
    expect(client.nodes('master')).toHaveLength(3);
    expect(await checkRedisPolicy(config.redis, { production: true, logger: { warn: () => {} } })).toEqual({
      status: 'ok',
      policy: 'noeviction',
    });
  });

  it('refuses a cluster in production when one master may evict keys', async () => {
    const client = await connect('producer', 'test-cluster-policy');
    const [first] = client.nodes('master');
    await first?.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const check = await checkRedisPolicy(config.redis, { production: false, logger: { warn: () => {} } });
      expect(check).toEqual({ status: 'wrong', policy: 'allkeys-lru' });
    } finally {
      await first?.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('lets exactly N of 1,000 concurrent reservations through when the budget covers N, and balances to the unit', async () => {
    const tenant = newTenant('budget');
    const stores = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => new BudgetStore(await connect('worker', `test-cluster-budget-${i}`))),
    );
    const store = stores[0] as BudgetStore;
    const cost = 1_234;
    const n = 337;
    const empty = { left: 0, reserved: 0, spent: 0, funded: 0 };
    await store.init(tenant, { ...empty, reservations: new Map(), settlements: new Map(), credits: new Map() });
    await store.fund(tenant, cost * n + cost - 1);
    const outcomes = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        (stores[i % stores.length] as BudgetStore).reserve(tenant, `job-${i}`, cost, 0),
      ),
    );
    const granted = outcomes.flatMap((outcome, i) => (outcome.status === 'ok' ? [`job-${i}`] : []));
    expect(granted).toHaveLength(n);
    expect(outcomes.filter((outcome) => outcome.status === 'insufficient')).toHaveLength(1_000 - n);
    expect(await store.read(tenant)).toEqual({
      ...empty,
      left: cost - 1,
      reserved: cost * n,
      funded: cost * n + cost - 1,
    });

    await Promise.all(
      granted.map((job, i) =>
        i % 2 === 0
          ? (stores[i % stores.length] as BudgetStore).settle(tenant, job, (i * 7) % (cost + 1))
          : store.release(tenant, job),
      ),
    );
    const after = await store.read(tenant);
    expect(after?.reserved).toBe(0);
    expect((after?.left ?? 0) + (after?.spent ?? 0)).toBe(cost * n + cost - 1);
    await store.delete(tenant);
  });

  it('hands out strictly increasing sequence numbers under concurrency, and subscribers (by channel or pattern) on other nodes receive every event in order', async () => {
    const publishers = await Promise.all(
      [0, 1, 2, 3].map(async (i) => await connect('producer', `test-cluster-events-${i}`)),
    );
    const subscriber = await connect('worker', 'test-cluster-events-subscriber');
    // The orchestrator's way: one pattern for every tenant.
    const patternSubscriber = await connect('worker', 'test-cluster-events-pattern');
    // Two tenants whose counters live on different masters: events cross the cluster bus to the subscriber.
    const tenants: string[] = [];
    const owners = new Set<string | undefined>();
    for (let i = 0; tenants.length < 2 && i < 100; i += 1) {
      const tenant = newTenant('events');
      const { node } = await ownerOf(subscriber, eventSequenceKey(tenant));
      if (owners.has(node)) continue;
      owners.add(node);
      tenants.push(tenant);
    }
    expect(tenants).toHaveLength(2);
    const received = new Map<string, number[]>(tenants.map((tenant) => [tenant, []]));
    subscriber.on('message', (_channel: string, message: string) => {
      const event = parseTenantEvent(message);
      if (event) received.get(event.tenantId)?.push(event.seq);
    });
    await subscriber.subscribe(...tenants.map(tenantEventChannel));
    const byPattern = new Map<string, number[]>(tenants.map((tenant) => [tenant, []]));
    patternSubscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
      const event = parseTenantEvent(message);
      if (event) byPattern.get(event.tenantId)?.push(event.seq);
    });
    await patternSubscriber.psubscribe(allTenantEventsPattern);

    const errors: unknown[] = [];
    const sinks = publishers.map((client) => new EventPublisher(client, (error) => errors.push(error)));
    const perTenant = 150;
    await Promise.all(
      tenants.flatMap((tenant) =>
        Array.from({ length: perTenant }, (_, i) =>
          (sinks[i % sinks.length] as EventPublisher).publish(tenant, {
            kind: 'plan',
            plan: { goalId: `goal-${i}`, phase: 'planning', reason: null, taskCount: null },
          }),
        ),
      ),
    );
    expect(errors).toEqual([]);
    for (const tenant of tenants) {
      await expect.poll(() => received.get(tenant)?.length, { timeout: 10_000 }).toBe(perTenant);
      const seqs = received.get(tenant) ?? [];
      const first = seqs[0] ?? 0;
      expect(seqs).toEqual(Array.from({ length: perTenant }, (_, i) => first + i));
      expect(await readSequence(publishers[0] as RedisClient, tenant)).toBe(first + perTenant - 1);
      await expect.poll(() => byPattern.get(tenant), { timeout: 10_000 }).toEqual(seqs);
    }
  });

  it('queues a notification through NotificationQueues and a BullMQ Worker with the tenant prefix consumes it', async () => {
    const tenant = newTenant('notify');
    const producer = await connect('producer', 'test-cluster-notify-producer');
    const consumer = await connect('worker', 'test-cluster-notify-worker');
    const queues = new NotificationQueues(producer, config.notifications);
    const consumed: Job[] = [];
    const worker = new Worker(
      notificationQueueName(tenant),
      async (job) => {
        consumed.push(job);
        return { outcome: 'sent' };
      },
      { connection: consumer, prefix: queuePrefix(tenant) },
    );
    try {
      const jobId = await queues.publish({
        tenantId: tenant,
        webhookId: 'abcdefabcdef',
        eventKey: 'test-1',
        event: { kind: 'test', nonce: 'n1' },
      });
      await expect.poll(() => consumed.map((job) => job.id), { timeout: 15_000 }).toEqual([jobId]);
      await expect.poll(async () => (await queues.queue(tenant).getJob(jobId))?.getState()).toBe('completed');
    } finally {
      await worker.close();
      await queues.queue(tenant).obliterate({ force: true });
      await queues.close();
    }
  });

  it('runs agent jobs published one by one and in bulk through the worker pool', async () => {
    const tenant = newTenant('agents');
    const producer = await connect('producer', 'test-cluster-agents-producer');
    const consumer = await connect('worker', 'test-cluster-agents-worker');
    const queues = new AgentQueues(producer, config.jobs);
    const processed: string[] = [];
    const poolErrors: unknown[] = [];
    const pool = new WorkerPool({
      connection: consumer,
      tenants: async () => [tenant],
      queuesOf: (tenantId) => agentRoles.map((role) => agentQueueName(tenantId, role)),
      process: async (job: Job) => {
        processed.push((job.data as { dispatchId: string }).dispatchId);
        return { outcome: 'done' };
      },
      concurrency: 4,
      lockDurationMs: 30_000,
      backoff: { type: agentBackoffType, strategy: () => 0 },
      refreshMs: 60_000,
      shutdownTimeoutMs: 5_000,
      onError: (error) => poolErrors.push(error),
    });
    const job = (i: number, role: AgentRole) => ({
      tenantId: tenant,
      taskId: `task${String(i).padStart(4, '0')}`,
      role,
      dispatchId: `task${String(i).padStart(4, '0')}.1`,
      reservedMicroUsd: 1_000,
      reservedTokens: 100,
    });
    try {
      await pool.start();
      expect(await queues.publish(job(0, 'dev'))).toBe(agentQueueName(tenant, 'dev'));
      const many = Array.from({ length: 40 }, (_, i) => job(i + 1, agentRoles[i % agentRoles.length] as AgentRole));
      const added = await queues.publishMany(many);
      expect(added.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const expected = [job(0, 'dev'), ...many].map((queued) => queued.dispatchId).sort();
      await expect.poll(() => [...processed].sort(), { timeout: 20_000 }).toEqual(expected);
      expect(poolErrors).toEqual([]);
    } finally {
      await pool.stop();
      for (const role of agentRoles) await queues.queue(tenant, role).obliterate({ force: true });
      await queues.close();
    }
  });

  it('keeps every key of a tenant’s queues in the tenant’s slot, and spreads tenants over the masters', async () => {
    const producer = await connect('producer', 'test-cluster-prefix');
    const queues = new AgentQueues(producer, config.jobs);
    const notifications = new NotificationQueues(producer, config.notifications);
    const tenants = Array.from({ length: 12 }, (_, i) => `cl-spread-${i}`);
    try {
      const owners = new Set<string | undefined>();
      for (const [i, tenant] of tenants.entries()) {
        await queues.publish({
          tenantId: tenant,
          taskId: `spread${String(i).padStart(2, '0')}`,
          role: 'qa',
          dispatchId: `spread${i}.1`,
          reservedMicroUsd: 0,
          reservedTokens: 0,
        });
        await notifications.publish({
          tenantId: tenant,
          webhookId: 'abcdefabcdef',
          eventKey: 'test-2',
          event: { kind: 'test', nonce: 'n2' },
        });
        const keys = await scanKeys(producer, `${queuePrefix(tenant)}:*`);
        expect(keys.length).toBeGreaterThan(2);
        const budget = await ownerOf(producer, budgetKeys(tenant).balance);
        const slots = new Set(await Promise.all(keys.map(async (key) => (await ownerOf(producer, key)).slot)));
        expect([...slots]).toEqual([budget.slot]);
        owners.add(budget.node);
      }
      // Twelve fixed tenants' hash tags fall on all three masters (checked once, stable: CRC16 of the names).
      expect(owners.size).toBe(3);
    } finally {
      for (const tenant of tenants) {
        for (const role of agentRoles) await queues.queue(tenant, role).obliterate({ force: true });
        await notifications.queue(tenant).obliterate({ force: true });
      }
      await queues.close();
      await notifications.close();
    }
  });

  it('runs a plan’s dispatched tasks to done through the role workers, each charged once, nothing left reserved', async () => {
    const h = await createHarness({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') });
    try {
      await h.budget.topUp(h.tenant, 1_000_000);
      const ids = await h.plan({
        tasks: ['one', 'two', 'three'].map((key) => ({
          key,
          description: `on the cluster: ${key}`,
          owner: 'dev',
          tokensPlan: 3,
        })),
      });
      await h.startWorkers(new OfflineProvider());
      for (const id of Object.values(ids)) await h.dispatch.dispatch(h.tenant, id);
      for (const id of Object.values(ids)) expect((await h.waitForStatus(id, 'done')).status).toBe('done');
      const balance = await h.store.read(h.tenant);
      expect(balance?.reserved).toBe(0);
      expect(balance?.spent).toBeGreaterThan(0);
      expect((balance?.left ?? 0) + (balance?.spent ?? 0)).toBe(1_000_000);
      // One reservation and one settlement per task in the ledger, and the ledger equals Redis.
      const totals = await ledgerTotals(h.bolt, h.tenant);
      expect(totals.reserve?.count).toBe(3);
      expect(totals.settle).toEqual({ total: balance?.spent, count: 3 });
    } finally {
      await h.close();
    }
  });
});
