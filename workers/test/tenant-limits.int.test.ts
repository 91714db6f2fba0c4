import type { ChildProcess } from 'node:child_process';
import {
  createRedisClient,
  limitKeys,
  metricSpecs,
  parseTenantEvent,
  type TaskChange,
  tenantEventChannel,
} from '@ai-org/core';
import { TenantLimitsService } from '@ai-org/domain';
import { TenantLimitsRepository } from '@ai-org/schema';
import { type FakeLlmServer, freePort, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals, spawnEntry } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const deadlineMs = 40_000;

/** Polls `read` until `done` accepts its value; fails after the deadline with `what`. */
const until = async <T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached in ${deadlineMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const limitsOf = (h: Harness) =>
  new TenantLimitsService(new TenantLimitsRepository(h.bolt, h.config.neo4j.database), h.config.tenantLimits);

/** `count` independent tasks for the dev role, dispatched (budget reserved, jobs on the queue). */
const dispatchTasks = async (h: Harness, count: number): Promise<string[]> => {
  const ids = await h.plan({
    tasks: Array.from({ length: count }, (_, i) => ({
      key: `t${i}`,
      description: `Limited task ${i}`,
      owner: 'dev',
      tokensPlan: 1,
    })),
  });
  const taskIds = Object.values(ids);
  for (const id of taskIds) await h.dispatch.dispatch(h.tenant, id);
  return taskIds;
};

/** Every task done, its run charged exactly once, nothing left reserved. */
const expectDoneAndChargedOnce = async (h: Harness, taskIds: readonly string[]) => {
  let tokens = 0;
  for (const id of taskIds) tokens += Math.round((await h.waitForStatus(id, 'done')).tokensActual * 1000);
  expect((await ledgerTotals(h.bolt, h.tenant)).settle?.count).toBe(taskIds.length);
  const balance = await until(
    'budget settled',
    () => h.store.read(h.tenant),
    (b) => b?.reserved === 0,
  );
  expect(balance?.spent).toBeGreaterThan(0);
  expect(balance?.spent).toBeLessThanOrEqual(h.budget.costOfTokens(tokens) + taskIds.length);
};

/** The tenant's live task events, as a subscriber receives them. */
const listen = async (redisUrl: string, tenant: string) => {
  const subscriber: Redis = createRedisClient(redisUrl, 'worker', 'test-limits-events');
  const tasks: TaskChange[] = [];
  subscriber.on('message', (_channel, message) => {
    const event = parseTenantEvent(message);
    if (event?.kind === 'task') tasks.push(event.task);
  });
  await subscriber.subscribe(tenantEventChannel(tenant));
  return { tasks, close: () => subscriber.disconnect() };
};

const refusalsIn = (metrics: string, tenant: string, kind: string): number =>
  metrics
    .split('\n')
    .filter((line) => line.startsWith(`${metricSpecs.tenantLimitRefusals.name}{`))
    .filter((line) => line.includes(`tenant="${tenant}"`) && line.includes(`kind="${kind}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

describe('per-tenant limits across worker processes', () => {
  let llm: FakeLlmServer | undefined;
  let h: Harness | undefined;
  const children: ChildProcess[] = [];
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const close of closers.splice(0)) close();
    llm?.release();
    await h?.close();
    await llm?.close();
  });

  it('the concurrency cap holds across two worker processes', async () => {
    const fake = await startFakeLlmServer();
    llm = fake;
    const harness = await createHarness({ TENANT_SLOT_RETRY_MS: '200' });
    h = harness;
    await harness.budget.topUp(harness.tenant, 1_000_000);
    await limitsOf(harness).set(harness.tenant, { maxRunningJobs: 2 });
    const events = await listen(harness.config.redis.url, harness.tenant);
    closers.push(events.close);

    // The fake model holds every request until the test releases it, and counts those it holds.
    let releasedAt = 0;
    let maxHeld = 0;
    fake.setResponder(() => {
      maxHeld = Math.max(maxHeld, fake.requests.length - releasedAt);
      return { kind: 'hold' };
    });
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      children.push(
        spawnEntry('workers/src/main.ts', {
          WORKER_TENANTS: harness.tenant,
          OPENAI_API_KEY: 'test-key',
          OPENAI_BASE_URL: fake.url,
          LLM_TIMEOUT_MS: '30000',
          WORKER_CONCURRENCY: '6', // 12 slots in the two processes, for 8 jobs: only the tenant's cap holds them
          WORKER_METRICS_PORT: String(port),
          TENANT_SLOT_RETRY_MS: '200',
          TENANT_SLOT_LEASE_MS: '3000',
          TENANT_LIMITS_CACHE_MS: '500',
        }),
      );
    }
    const taskIds = await dispatchTasks(harness, 8);

    const held = () => fake.requests.length - releasedAt;
    let round = 0;
    while (releasedAt < taskIds.length) {
      await until('two requests held', held, (n) => n >= Math.min(2, taskIds.length - releasedAt));
      if (round === 0) {
        // While two run, the others are refused and wait, visibly: reason, live event.
        await until(
          'a task waiting for a running slot',
          async () =>
            (await Promise.all(taskIds.map((id) => harness.tasks.get(harness.tenant, id)))).map((t) => t.statusReason),
          (reasons) => reasons.includes('waiting for a running slot (cap 2)'),
        );
        await until(
          'its live event',
          () => events.tasks.map((t) => t.statusReason),
          (reasons) => reasons.includes('waiting for a running slot (cap 2)'),
        );
      }
      round += 1;
      releasedAt = fake.requests.length;
      fake.release();
    }

    await expectDoneAndChargedOnce(harness, taskIds);
    expect(maxHeld).toBe(2);
    expect(fake.requests).toHaveLength(taskIds.length); // a refused job never called the model
    expect(await harnessRedisCount(harness)).toBe(0); // every slot given back
    let refusals = 0;
    for (const port of ports) {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      refusals += refusalsIn(body, harness.tenant, 'running_jobs');
    }
    expect(refusals).toBeGreaterThan(0);
  });

  it("gives a killed worker's running slot back, so the tenant's tasks still all end done", async () => {
    const fake = await startFakeLlmServer();
    llm = fake;
    const harness = await createHarness();
    h = harness;
    await harness.budget.topUp(harness.tenant, 1_000_000);
    await limitsOf(harness).set(harness.tenant, { maxRunningJobs: 1 });
    const env = {
      WORKER_TENANTS: harness.tenant,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.url,
      LLM_TIMEOUT_MS: '30000',
      TENANT_SLOT_RETRY_MS: '200',
      TENANT_SLOT_LEASE_MS: '2000',
    };
    const first = spawnEntry('workers/src/main.ts', env);
    children.push(first);
    fake.enqueue({ kind: 'hold' });
    const taskIds = await dispatchTasks(harness, 3);
    await fake.waitForRequest(1);
    first.kill('SIGKILL'); // dies holding the tenant's only slot
    fake.release();

    children.push(spawnEntry('workers/src/main.ts', env));
    await expectDoneAndChargedOnce(harness, taskIds);
    expect(await harnessRedisCount(harness)).toBe(0);
  });

  it('delays LLM calls beyond the tokens-per-minute window to the next window, and finishes them all', async () => {
    const fake = await startFakeLlmServer();
    llm = fake;
    // One-second windows; 6,000 tokens per minute = 100 per window, less than one call: one call per window.
    const harness = await createHarness({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.url,
      TENANT_TOKEN_WINDOW_MS: '1000',
      TENANT_LIMITS_CACHE_MS: '0',
    });
    h = harness;
    await harness.budget.topUp(harness.tenant, 1_000_000);
    await limitsOf(harness).set(harness.tenant, { tokensPerMinute: 6_000 });
    const workers = await harness.startWorkers();
    const taskIds = await dispatchTasks(harness, 5);

    const reasons = new Set<string>();
    await until(
      'every task done',
      async () => {
        const tasks = await Promise.all(taskIds.map((id) => harness.tasks.get(harness.tenant, id)));
        for (const task of tasks) if (task.statusReason) reasons.add(task.statusReason);
        return tasks.map((task) => task.status);
      },
      (statuses) => statuses.every((status) => status === 'done'),
    );
    await expectDoneAndChargedOnce(harness, taskIds);
    expect(fake.requests).toHaveLength(taskIds.length);
    const metrics = await workers.metrics.registry.metrics();
    expect(refusalsIn(metrics, harness.tenant, 'tokens_per_minute')).toBeGreaterThan(0);
    expect([...reasons].some((reason) => reason.startsWith('waiting for the tokens-per-minute window'))).toBe(true);
  });
});

const harnessRedisCount = async (h: Harness): Promise<number> => {
  const redis = createRedisClient(h.config.redis.url, 'worker', 'test-limits-count');
  try {
    return await redis.zcard(limitKeys(h.tenant).running);
  } finally {
    redis.disconnect();
  }
};
