import { randomBytes } from 'node:crypto';
import {
  AgentQueues,
  agentRoles,
  BudgetStore,
  budgetKeys,
  costOfTokens,
  createRedisClient,
  dispatchIdOf,
} from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import {
  type FakeLlmServer,
  graphqlClient,
  type Subscriber,
  startFakeLlmServer,
  subscribe,
  warmUp,
} from '@ai-org/testing';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { expect, inject } from 'vitest';
import { type RunningStack, type StackProcess, startStack } from '../stack';
import { type FaultServices, neo4jOptionsOf, neo4jUriOf, readServices, redisUrlOf } from './services';

const adminToken = 'faults-admin';
/** 1 USD, in micro-USD: far more than the plan costs, so no task ever waits for budget. */
const fundingUsd = 1;
/** The default price (0.0005 USD per 1k tokens) in micro-USD. */
const microUsdPer1kTokens = 500;
/** How long a whole plan (with the faults of one scenario) may take to finish. */
export const runDeadlineMs = 90_000;

/** The fault suite's private services, as the global setup (or a test that restarted one) left them. */
export const faultServices = (): FaultServices => readServices(inject('faultServicesDir'));

/**
 * A plan of `chains` × `length` tasks: chains of dependent tasks over every role, so the orchestrator
 * dispatches in waves for the whole run and jobs of all four queues run side by side.
 */
export const chainsPlan = (chains = 17, length = 3) => ({
  tasks: Array.from({ length: chains * length }, (_, i) => ({
    key: `t${i}`,
    description: `Step ${i % length} of chain ${Math.floor(i / length)}`,
    owner: agentRoles[i % agentRoles.length],
    tokensPlan: 2,
  })),
  dependencies: Array.from({ length: chains * length }, (_, i) => i)
    .filter((i) => i % length > 0)
    .map((i) => ({ from: `t${i}`, to: `t${i - 1}` })),
});

export const createPlanMutation = `mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } } }`;

export interface FaultStack {
  readonly stack: RunningStack;
  readonly llm: FakeLlmServer;
  readonly bolt: Driver;
  readonly redis: Redis;
  readonly gql: ReturnType<typeof graphqlClient>;
  /** A tenant of its own for each scenario; the processes serve them all. */
  readonly tenants: readonly string[];
  close(): Promise<void>;
}

/**
 * The three processes from their entry points against the private Neo4j and Redis, serving
 * `tenantCount` tenants, with the fake LLM answering after a delay (so a kill lands mid-job).
 */
export const startFaultStack = async (tenantCount: number, env: Record<string, string> = {}): Promise<FaultStack> => {
  const services = faultServices();
  const tenants = Array.from({ length: tenantCount }, () => `fault-${randomBytes(4).toString('hex')}`);
  const llm = await startFakeLlmServer();
  llm.setDefault({ kind: 'slow', delayMs: 300 });
  const stack = await startStack(
    {
      NEO4J_URI: neo4jUriOf(services),
      REDIS_URL: redisUrlOf(services),
      WORKER_TENANTS: tenants.join(','),
      DEFAULT_TENANT: '',
      ADMIN_TOKEN: adminToken,
      BUDGET_MIN_LEFT_USD: '0',
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: llm.url,
      LLM_TIMEOUT_MS: '10000',
      JOB_ATTEMPTS: '5',
      JOB_BACKOFF_MS: '100',
      WORKER_CONCURRENCY: '4',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_SHUTDOWN_TIMEOUT_MS: '2000',
      ORCHESTRATOR_INTERVAL_MS: '300',
      RECOVER_QUEUED_AFTER_MS: '3000',
      ...env,
    },
    // Three tsx processes compiling at once on a small, busy machine.
    { startupDeadline: 90_000 },
  );
  const bolt = createNeo4jDriver(neo4jOptionsOf(services));
  const redis = createRedisClient(redisUrlOf(services), 'worker', 'fault-check');
  await redis.connect();
  return {
    stack,
    llm,
    bolt,
    redis,
    gql: graphqlClient(stack.apiUrl, adminToken),
    tenants,
    async close() {
      await stack.stop();
      redis.disconnect();
      await bolt.close();
      await llm.close();
    },
  };
};

export interface FaultRun {
  readonly tenant: string;
  readonly faults: FaultStack;
  /** Every subscriber this run opened, oldest first (a new one after each API restart). */
  readonly subscribers: Subscriber[];
  /** Opens a live-events subscriber on the API and waits until it receives events. */
  subscribe(): Promise<Subscriber>;
  /** Creates the plan through the API; task ids by key. */
  plan(plan?: ReturnType<typeof chainsPlan>): Promise<Record<string, string>>;
  /** Task count by status, read from Neo4j. */
  statuses(): Promise<Record<string, number>>;
  /** Resolves once at least `count` tasks are done. */
  waitForDone(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once at least one task is being worked on (its LLM call under way). */
  waitForDoing(): Promise<void>;
  /** Kills one process (SIGKILL unless told) and starts it again; a new subscriber after the API's. */
  crash(process: StackProcess, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
  close(): Promise<void>;
}

/** One scenario's run: a tenant of the stack, funded, with a live subscriber. */
export const startFaultRun = async (faults: FaultStack, tenant: string): Promise<FaultRun> => {
  const { stack, bolt, gql } = faults;
  const subscribers: Subscriber[] = [];
  const topUp = () => gql(tenant, `mutation($usd: Float!) { topUpBudget(amountUsd: $usd) { leftUsd } }`, { usd: 0.01 });
  const run: FaultRun = {
    tenant,
    faults,
    subscribers,
    async subscribe() {
      const sub = subscribe(`${stack.apiUrl.replace('http', 'ws')}/graphql`, { 'x-tenant-id': tenant });
      subscribers.push(sub);
      // Warm-up events are budget top-ups: funding the ledger and Redis agree on, like any other.
      await warmUp([sub], topUp);
      return sub;
    },
    async plan(plan = chainsPlan()) {
      const { createPlan } = await gql<{ createPlan: { tasks: { key: string; id: string }[] } }>(
        tenant,
        createPlanMutation,
        { input: plan },
      );
      return Object.fromEntries(createPlan.tasks.map((task) => [task.key, task.id]));
    },
    async statuses() {
      const { records } = await bolt.executeQuery(
        'MATCH (t:Task {tenantId: $tenant}) RETURN t.status AS status, count(t) AS n',
        { tenant },
      );
      return Object.fromEntries(records.map((r) => [r.get('status'), Number(r.get('n'))]));
    },
    async waitForDone(count, timeoutMs = runDeadlineMs) {
      await expect
        .poll(async () => (await run.statuses()).done ?? 0, { timeout: timeoutMs, interval: 100 })
        .toBeGreaterThanOrEqual(count);
    },
    async waitForDoing() {
      await expect
        .poll(async () => (await run.statuses()).doing ?? 0, { timeout: 30_000, interval: 20 })
        .toBeGreaterThan(0);
    },
    async crash(process, signal = 'SIGKILL') {
      const ended = await stack.kill(process, signal);
      await stack.restart(process);
      if (process === 'api') await run.subscribe();
      return ended;
    },
    async close() {
      for (const sub of subscribers) await sub.dispose().catch(() => {});
    },
  };
  await gql(tenant, `mutation($usd: Float!) { setBudget(amountUsd: $usd) { leftUsd } }`, { usd: fundingUsd });
  await run.subscribe();
  return run;
};

const queueStatesLeft = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * The suite's shared check, once the run is over: every task done exactly once (one artifact, one
 * charged dispatch, every reservation settled), ledger and Redis agreeing to the micro-USD, nothing
 * reserved or queued, and no subscriber seeing an event sequence go backwards.
 */
export const expectAccounting = async (run: FaultRun, taskCount: number): Promise<void> => {
  const { tenant } = run;
  const { bolt, redis } = run.faults;
  // Every task done and every job finished (a worker settles after it marks the task done).
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  try {
    const unfinished = async () =>
      (await queues.jobCounts(tenant, ...queueStatesLeft))
        .flatMap(({ counts }) => Object.values(counts))
        .reduce((a, b) => a + b, 0);
    await expect.poll(() => run.statuses(), { timeout: runDeadlineMs, interval: 200 }).toEqual({ done: taskCount });
    await expect.poll(unfinished, { timeout: 30_000 }).toBe(0);
  } finally {
    await queues.close();
  }
  // A job whose worker died after Redis settled it, and that never came back (failed for stalling),
  // is recorded by the orchestrator's reconciler within a recovery period or two.
  const openReservations = async () => {
    const { records } = await bolt.executeQuery(
      `MATCH (r:LedgerEntry {tenantId: $tenant, kind: 'reserve'})
       WHERE NOT EXISTS { MATCH (:LedgerEntry {id: $tenant + '/settle/' + r.jobId}) }
       RETURN count(r) AS open`,
      { tenant },
    );
    return Number(records[0]?.get('open'));
  };
  await expect
    .poll(openReservations, { timeout: 30_000, interval: 500 })
    .toBe(0)
    .catch(() => {}); // which ones, and how, is shown below

  // Done exactly once: one artifact per task.
  const { records: taskRows } = await bolt.executeQuery(
    `MATCH (t:Task {tenantId: $tenant}) OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact)
     RETURN t.id AS id, t.dispatchCount AS dispatches, collect(a.tokensUsed) AS used`,
    { tenant },
  );
  const tasks = taskRows.map((r) => ({
    id: r.get('id') as string,
    dispatches: Number(r.get('dispatches')),
    used: (r.get('used') as number[]).map(Number),
  }));
  expect(tasks).toHaveLength(taskCount);
  expect(tasks.filter((task) => task.used.length !== 1)).toEqual([]);

  // Charged exactly once: every reservation settled, one settlement per dispatch, and of a task's
  // dispatches only the one that stored its artifact charged, for the tokens the artifact records.
  const { records: ledgerRows } = await bolt.executeQuery(
    'MATCH (e:LedgerEntry {tenantId: $tenant}) RETURN e.kind AS kind, e.jobId AS job, e.amountMicroUsd AS amount',
    { tenant },
  );
  const entries = (kind: string) =>
    ledgerRows
      .filter((r) => r.get('kind') === kind)
      .map((r) => [r.get('job') as string, Number(r.get('amount'))] as const);
  const reserves = new Map(entries('reserve'));
  const settles = new Map(entries('settle'));
  expect(entries('settle')).toHaveLength(settles.size);
  // (A dispatcher killed between reserving in Redis and writing the ledger leaves a settlement of 0
  // without a reserve entry: its release. Nothing charged comes without a reservation.)
  expect([...reserves.keys()].filter((job) => !settles.has(job))).toEqual([]);
  expect([...settles].filter(([job, amount]) => amount > 0 && !reserves.has(job))).toEqual([]);
  for (const task of tasks) {
    const charged = [...Array(task.dispatches).keys()]
      .map((n) => settles.get(dispatchIdOf(task.id, n + 1)) ?? 0)
      .filter((amount) => amount > 0);
    const cost = costOfTokens(Math.round((task.used[0] ?? 0) * 1000), microUsdPer1kTokens);
    expect({ task: task.id, charged }).toEqual({ task: task.id, charged: [cost] });
  }
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  const spent = sum(settles.values());
  const funded = sum(entries('fund').map(([, amount]) => amount));

  // Ledger = Redis: spent and funded agree, nothing reserved, and the balance adds up.
  const balance = await new BudgetStore(redis).read(tenant);
  expect(balance).toEqual({ left: funded - spent, reserved: 0, spent, funded });
  const keys = budgetKeys(tenant);
  expect(await redis.hlen(keys.reservations)).toBe(0);
  const charges = (pairs: Iterable<readonly [string, number]>) =>
    Object.fromEntries([...pairs].filter(([, amount]) => amount > 0));
  const redisSettled = Object.entries(await redis.hgetall(keys.settled)).map(([job, n]) => [job, Number(n)] as const);
  expect(charges(redisSettled)).toEqual(charges(settles));

  // No event sequence going backwards, across every subscriber in the order they were opened.
  const seqs = run.subscribers.flatMap((sub) => sub.events.map((event) => event.seq));
  expect(seqs.length).toBeGreaterThan(0);
  expect(seqs.filter((seq, i) => i > 0 && seq <= (seqs[i - 1] ?? 0))).toEqual([]);
};
