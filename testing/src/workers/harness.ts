import { randomBytes } from 'node:crypto';
import {
  type AgentQueues,
  agentRoles,
  BudgetStore,
  type Config,
  createLogger,
  createRedisClient,
  dispatchIdOf,
  loadConfig,
} from '@ai-org/core';
import {
  type BudgetService,
  createDomain,
  type DispatchService,
  type PlanInput,
  type TaskService,
} from '@ai-org/domain';
import { createNeo4jDriver } from '@ai-org/schema';
import { deleteTenantData } from '@ai-org/testing';
import { buildWorkers, type LlmProvider, type Workers } from '@ai-org/workers';
import type { Driver } from 'neo4j-driver';

/** Test timings: short backoff and a short lock, so retries and stalls resolve in seconds. */
export const testEnv = (overrides: Record<string, string> = {}): Record<string, string | undefined> => ({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  // Tests run many processes at once: no fixed metrics ports.
  METRICS_PORT: '0',
  WORKER_METRICS_PORT: '0',
  ORCHESTRATOR_METRICS_PORT: '0',
  BUDGET_MIN_LEFT_USD: '0',
  JOB_ATTEMPTS: '3',
  JOB_BACKOFF_MS: '100',
  WORKER_LOCK_DURATION_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  WORKER_SHUTDOWN_TIMEOUT_MS: '2000',
  LLM_TIMEOUT_MS: '2000',
  WORKER_CONCURRENCY: '4',
  ...overrides,
});

/**
 * How long `waitForStatus` polls before it fails: half the integration tests' 60 s timeout, so a
 * stuck task is reported by name and status rather than as a bare test timeout. A task's job takes
 * well under a second with the fake LLM; the slowest waits (three attempts past a 1.5 s LLM timeout,
 * a stalled job re-run after the 2 s lock) take a few seconds.
 */
export const statusDeadlineMs = 30_000;
const statusPollIntervalMs = 100;

export interface Harness {
  readonly tenant: string;
  readonly config: Config;
  readonly bolt: Driver;
  readonly tasks: TaskService;
  readonly budget: BudgetService;
  readonly dispatch: DispatchService;
  readonly queues: AgentQueues;
  readonly store: BudgetStore;
  /** Plan key → task id. */
  plan(plan: PlanInput): Promise<Record<string, string>>;
  /** Starts in-process role workers for this tenant. */
  startWorkers(llm?: LlmProvider): Promise<Workers>;
  /**
   * Polls until the task reaches one of `statuses` and its job has finished; rejects after
   * `statusDeadlineMs`, naming the task, the status it is stuck in and whether its job finished.
   */
  waitForStatus(
    taskId: string,
    ...statuses: string[]
  ): Promise<{ status: string; statusReason: string | null; tokensActual: number }>;
  close(): Promise<void>;
}

/** Real Neo4j, real Redis, real BullMQ; a tenant of its own, deleted afterwards. */
export const createHarness = async (overrides: Record<string, string> = {}): Promise<Harness> => {
  const tenant = `test-w-${randomBytes(4).toString('hex')}`;
  const config = loadConfig(testEnv({ WORKER_TENANTS: tenant, ...overrides }));
  const bolt = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis, 'producer', 'test-producer');
  await redis.connect();
  const domain = createDomain(config, { driver: bolt, redis, logger: createLogger(config.log, 'test') });
  const { tasks, budget, dispatch, queues } = domain;
  const store = new BudgetStore(redis);
  const started: Workers[] = [];
  /** True when the dispatch's job has completed or failed for good, or there is no such job. */
  const jobFinished = async (dispatchId: string): Promise<boolean> => {
    for (const role of agentRoles) {
      const job = await queues.queue(tenant, role).getJob(dispatchId);
      if (job) return ['completed', 'failed'].includes(await job.getState());
    }
    return true;
  };

  return {
    tenant,
    config,
    bolt,
    tasks,
    budget,
    dispatch,
    queues,
    store,
    async plan(plan) {
      const created = await tasks.createPlan(tenant, plan);
      return { ...(created?.ids ?? {}) };
    },
    async startWorkers(llm) {
      const workers = buildWorkers(config, llm ? { llm } : {});
      await workers.start();
      started.push(workers);
      return workers;
    },
    async waitForStatus(taskId, ...statuses) {
      const deadline = Date.now() + statusDeadlineMs;
      for (;;) {
        const task = await tasks.get(tenant, taskId);
        // The worker marks the task first and settles the budget after: wait for its job to finish too.
        const finished = await jobFinished(dispatchIdOf(taskId, task.dispatchCount));
        if (statuses.includes(task.status) && finished) return task;
        if (Date.now() > deadline)
          throw new Error(
            `task ${taskId} did not reach ${statuses.join(' | ')} with its job finished within ${statusDeadlineMs} ms: ` +
              `status ${task.status}${task.statusReason ? ` (${task.statusReason})` : ''}, job ${finished ? 'finished' : 'not finished'}`,
          );
        await new Promise((resolve) => setTimeout(resolve, statusPollIntervalMs));
      }
    },
    async close() {
      for (const workers of started) await workers.stop();
      await domain.close();
      await deleteTenantData([tenant], { bolt, redisUrl: config.redis });
      await bolt.close();
      redis.disconnect();
    },
  };
};

/** Micro-USD sums of the tenant's ledger, by kind. */
export const ledgerTotals = async (bolt: Driver, tenant: string) => {
  const { records } = await bolt.executeQuery(
    'MATCH (e:LedgerEntry {tenantId: $tenant}) RETURN e.kind AS kind, sum(e.amountMicroUsd) AS total, count(e) AS n',
    { tenant },
  );
  return Object.fromEntries(
    records.map((r) => [r.get('kind'), { total: Number(r.get('total')), count: Number(r.get('n')) }]),
  );
};
