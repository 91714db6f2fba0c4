/**
 * B2 pipeline: N independent ready tasks of one tenant, dispatched as the orchestrator's tick
 * dispatches them (`DispatchService.dispatchReady`: claim, reserve, announce, publish, in batches)
 * and run by the role workers on the offline provider, from the first dispatch until every
 * job has finished. Baseline in the same run, on the same Redis: bare BullMQ, `Queue.add` of N jobs
 * (same options and payload shape) one after another, and a `Worker` with a no-op processor at the
 * same concurrency. Sizes: BENCH_TASKS (300), BENCH_CONCURRENCY (8, both sides' worker concurrency).
 * Exits 1 only when a correctness check fails or the run breaks.
 */
import { performance } from 'node:perf_hooks';
import { agentJobOptions, createRedisClient, dispatchIdOf } from '@ai-org/core';
import { buildWorkers, OfflineProvider } from '@ai-org/workers';
import { type JobsOptions, Queue, Worker } from 'bullmq';
import {
  benchConfig,
  benchTenant,
  type DispatchStack,
  envInt,
  ledgerMatchesRedis,
  openDispatchStack,
  until,
} from './lib/dispatch-stack';
import { type Check, type Comparison, formatNumber, percentiles, saveSection } from './lib/report';

const taskCount = envInt('BENCH_TASKS', 300);
const concurrency = envInt('BENCH_CONCURRENCY', 8);
/** A first small round on each side, not measured: connections, scripts and the JIT warm up. */
const warmUpCount = Math.min(20, taskCount);
const tokensPlan = 1; // kilotokens per task

const tenant = benchTenant();
const config = benchConfig([tenant], {
  WORKER_CONCURRENCY: String(concurrency),
  TENANT_MAX_RUNNING_JOBS: String(Math.max(8, concurrency)),
  JOB_ATTEMPTS: '3',
  JOB_BACKOFF_MS: '100',
});

interface Round {
  /** From the first dispatch (or add) until the last one returned. */
  readonly publishMs: number;
  /** From the first dispatch (or add) until every job finished. */
  readonly totalMs: number;
}

/** Jobs on the queue that have not finished (completed or failed). */
const unfinished = async (queue: Queue): Promise<number> => {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
};

/** Bare BullMQ on the same Redis: sequential adds, a no-op worker at the same concurrency. */
const bareBullmq = async () => {
  const name = `${tenant}-bare`;
  const producer = createRedisClient(config.redis.url, 'producer', 'ai-org-bench-bare');
  const consumer = createRedisClient(config.redis.url, 'worker', 'ai-org-bench-bare-worker');
  await Promise.all([producer.connect(), consumer.connect()]);
  const queue = new Queue(name, { connection: producer });
  const worker = new Worker(name, async () => {}, { connection: consumer, concurrency });
  const options = (id: string): JobsOptions => agentJobOptions(id, config.jobs.attempts, config.jobs.backoffMs);
  return {
    async run(count: number, prefix: string): Promise<Round> {
      const started = performance.now();
      for (let i = 0; i < count; i += 1) {
        const dispatchId = `${prefix}-${i}.1`;
        await queue.add(
          'dev',
          {
            tenantId: tenant,
            taskId: `${prefix}-${i}`,
            role: 'dev',
            dispatchId,
            reservedMicroUsd: 500,
            reservedTokens: 1_000,
          },
          options(dispatchId),
        );
      }
      const published = performance.now();
      await until('bare BullMQ jobs finished', async () => (await unfinished(queue)) === 0);
      return { publishMs: published - started, totalMs: performance.now() - started };
    },
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    },
  };
};

/** The platform: plan N tasks (not timed), then dispatch the ready ones and wait for every job. */
const platform = (stack: DispatchStack) => {
  const queue = stack.domain.queues.queue(tenant, 'dev');
  return async (count: number, prefix: string): Promise<Round> => {
    await stack.domain.tasks.createPlan(tenant, {
      tasks: Array.from({ length: count }, (_, i) => ({
        key: `${prefix}${i}`,
        description: `Bench task ${prefix}${i}: write the changelog entry`,
        owner: 'dev',
        tokensPlan,
      })),
    });
    const started = performance.now();
    const summary = await stack.domain.dispatch.dispatchReady(tenant, count);
    const published = performance.now();
    if (summary.dispatched.length !== count) {
      throw new Error(`dispatched ${summary.dispatched.length} of ${count}: ${JSON.stringify(summary.skipped[0])}`);
    }
    await until('platform jobs finished', async () => (await unfinished(queue)) === 0);
    return { publishMs: published - started, totalMs: performance.now() - started };
  };
};

/** Every task done, dispatched once, charged once (for its first dispatch, a positive amount). */
const taskChecks = async (stack: DispatchStack, expected: number): Promise<Check[]> => {
  const { records } = await stack.driver.executeQuery(
    'MATCH (t:Task {tenantId: $tenant}) RETURN t.id AS id, t.status AS status, t.dispatchCount AS dispatchCount',
    { tenant },
    { database: config.neo4j.database },
  );
  const tasks = records.map((r) => ({
    id: r.get('id') as string,
    status: r.get('status') as string,
    dispatchCount: Number(r.get('dispatchCount')),
  }));
  const notDone = tasks.filter((t) => t.status !== 'done');
  const notOnce = tasks.filter((t) => t.dispatchCount !== 1);
  const charges = (await stack.domain.repositories.ledger.snapshot(tenant)).settlements;
  const chargedOnce = tasks.filter((t) => (charges.get(dispatchIdOf(t.id, 1)) ?? 0) > 0);
  const summary = (list: readonly { id: string; status: string; dispatchCount: number }[]) =>
    list
      .slice(0, 3)
      .map((t) => `${t.id} ${t.status} ×${t.dispatchCount}`)
      .join(', ');
  return [
    {
      name: 'every task done',
      ok: tasks.length === expected && notDone.length === 0,
      detail: `${tasks.length - notDone.length} of ${expected} done${notDone.length ? `; not: ${summary(notDone)}` : ''}`,
    },
    {
      name: 'each task dispatched once',
      ok: tasks.length > 0 && notOnce.length === 0,
      detail: `dispatchCount 1 on ${tasks.length - notOnce.length} of ${tasks.length}${notOnce.length ? `; not: ${summary(notOnce)}` : ''}`,
    },
    {
      name: 'each task charged once',
      ok: charges.size === tasks.length && chargedOnce.length === tasks.length,
      detail: `${charges.size} charges in the ledger for ${tasks.length} tasks, ${chargedOnce.length} of them for the task's one dispatch`,
    },
  ];
};

const stack = await openDispatchStack(config);
const bare = await bareBullmq();
const workers = buildWorkers(config, { llm: new OfflineProvider() });
let failedCheck = false;
try {
  const cost = stack.domain.budget.costOfTokens(tokensPlan * 1_000);
  await stack.domain.budget.topUp(tenant, cost * (taskCount + warmUpCount) * 2);
  await workers.start();
  const runPlatform = platform(stack);

  await bare.run(warmUpCount, 'warm');
  await runPlatform(warmUpCount, 'warm');
  const warmDispatches = stack.dispatchSeconds.dispatched.length;
  const baseline = await bare.run(taskCount, 'run');
  const measured = await runPlatform(taskCount, 'run');
  const dispatchMs = percentiles(stack.dispatchSeconds.dispatched.slice(warmDispatches).map((s) => s * 1_000));

  const rate = (count: number, ms: number) => (count * 1_000) / ms;
  const platformRate = rate(taskCount, measured.totalMs);
  const baselineRate = rate(taskCount, baseline.totalMs);
  const platformMsPerTask = measured.totalMs / taskCount;
  const baselineMsPerJob = baseline.totalMs / taskCount;
  const overheadMs = platformMsPerTask - baselineMsPerJob;
  const throughputRatio = platformRate / baselineRate;

  const comparisons: Comparison[] = [
    {
      name: `${taskCount} tasks, dispatch → all done`,
      platform: { label: 'dispatch + offline workers', value: platformRate, unit: 'tasks/s' },
      baseline: { label: 'Queue.add + no-op Worker', value: baselineRate, unit: 'jobs/s' },
      ratio: throughputRatio,
      target: '≥ 0.25×',
      met: throughputRatio >= 0.25,
      note: `dispatching took ${formatNumber(measured.publishMs)} of ${formatNumber(measured.totalMs)} ms; the rest is the role workers running the jobs (per task: start and completion writes in Neo4j, the settlement with its ledger entry, two events)`,
    },
    {
      name: 'platform overhead per task',
      platform: { label: 'platform', value: platformMsPerTask, unit: 'ms/task' },
      baseline: { label: 'bare BullMQ', value: baselineMsPerJob, unit: 'ms/job' },
      ratio: platformMsPerTask / baselineMsPerJob,
      target: '≤ 5 ms per task over bare BullMQ',
      met: overheadMs <= 5,
      note: `${formatNumber(overheadMs)} ms per task`,
    },
    {
      name: 'publishing alone (claim, reserve, publish, announce)',
      platform: { label: 'dispatchReady', value: rate(taskCount, measured.publishMs), unit: 'tasks/s' },
      baseline: { label: 'Queue.add', value: rate(taskCount, baseline.publishMs), unit: 'jobs/s' },
      ratio: baseline.publishMs / measured.publishMs,
      target: '—',
      met: null,
    },
  ];
  const checks: Check[] = [
    ...(await taskChecks(stack, taskCount + warmUpCount)),
    await ledgerMatchesRedis(stack, tenant),
  ];
  failedCheck = checks.some((check) => !check.ok);
  saveSection({
    id: 'B2',
    title: 'Pipeline: dispatch → done against bare BullMQ',
    comparisons,
    checks,
    figures: {
      tasks: `${taskCount} independent dev tasks of ${tokensPlan}k planned tokens, one tenant (after ${warmUpCount} warm-up tasks on each side)`,
      concurrency: `${concurrency} (role worker and bare Worker alike)`,
      'platform time': `${formatNumber(measured.totalMs)} ms (dispatch ${formatNumber(measured.publishMs)} ms)`,
      'baseline time': `${formatNumber(baseline.totalMs)} ms (adds ${formatNumber(baseline.publishMs)} ms)`,
      'overhead per task': `${formatNumber(overheadMs)} ms = (platform − baseline) / ${taskCount}`,
      'one dispatch (ai_org_dispatch_duration_seconds)': `p50 ${formatNumber(dispatchMs.p50)} ms, p99 ${formatNumber(dispatchMs.p99)} ms`,
    },
  });
} finally {
  await workers.stop();
  await bare.close();
  await stack.close([tenant]);
}
if (failedCheck) process.exitCode = 1;
