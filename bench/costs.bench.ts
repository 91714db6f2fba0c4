/**
 * B7 per-task costs: what one task costs the stores from plan to done, counted, not timed — the
 * figures `docs/scaling.md` multiplies out. N independent tasks of one tenant are dispatched as a tick
 * dispatches them and run by the role workers on the offline provider (as in B2), while:
 * - every Neo4j transaction the process runs is counted by access mode (the driver's managed
 *   transactions and auto-commit queries, which `executeQuery` and @neo4j/graphql use as well);
 * - Redis `MONITOR` counts every command the platform's connections send (commands inside Lua
 *   scripts are not counted again; the bench's own polling connection is left out);
 * - a subscriber to the tenant's event channel counts the live events and their bytes.
 * No targets: figures only. Sizes: BENCH_COST_TASKS (100), BENCH_CONCURRENCY (8).
 * Exits 1 only when a correctness check fails or the run breaks.
 */
import { createRedisClient, tenantEventChannel } from '@ai-org/core';
import { buildWorkers, OfflineProvider } from '@ai-org/workers';
import { Queue } from 'bullmq';
import neo4j from 'neo4j-driver';
import { benchConfig, benchTenant, envInt, ledgerMatchesRedis, openDispatchStack, until } from './lib/dispatch-stack';
import { type Check, formatNumber, saveSection } from './lib/report';

const taskCount = envInt('BENCH_COST_TASKS', 100);
const concurrency = envInt('BENCH_CONCURRENCY', 8);
const tenant = benchTenant();
const config = benchConfig([tenant], {
  WORKER_CONCURRENCY: String(concurrency),
  TENANT_MAX_RUNNING_JOBS: String(Math.max(8, concurrency)),
});

/** Counts the transactions of every session of this process: managed (by mode) and auto-commit. */
const countNeo4jTransactions = () => {
  const counts = { read: 0, write: 0, autoCommit: 0 };
  // Sessions are only reachable through a driver: open one to find the class every session shares.
  const probe = neo4j.driver('bolt://127.0.0.1:1');
  const session = probe.session();
  const prototype = Object.getPrototypeOf(session) as Record<string, (...args: unknown[]) => unknown>;
  void session.close();
  void probe.close();
  const wrap = (method: string, count: () => void) => {
    const original = prototype[method] as (...args: unknown[]) => unknown;
    prototype[method] = function (this: unknown, ...args: unknown[]) {
      count();
      return original.apply(this, args);
    };
  };
  wrap('executeRead', () => {
    counts.read += 1;
  });
  wrap('executeWrite', () => {
    counts.write += 1;
  });
  wrap('run', () => {
    counts.autoCommit += 1;
  });
  return counts;
};

/** Redis commands sent by every connection but `excluded` (MONITOR sees all clients of the server). */
const countRedisCommands = async (excludedName: string) => {
  const monitor = createRedisClient(config.redis.url, 'worker', 'ai-org-bench-monitor');
  await monitor.connect();
  const counts = new Map<string, number>();
  let excluded = new Set<string>();
  const refreshExcluded = async () => {
    const clients = String(await monitor.client('LIST'));
    excluded = new Set(
      clients
        .split('\n')
        .filter((line) => line.includes(` name=${excludedName} `) || line.includes(' name=ai-org-bench-monitor '))
        .map((line) => /addr=(\S+)/.exec(line)?.[1] ?? ''),
    );
  };
  await refreshExcluded();
  const feed = await monitor.monitor();
  feed.on('monitor', (_time: string, args: string[], source: string, database: string) => {
    // Commands a Lua script runs come as "lua" sources: the script itself was counted once.
    if (source === 'lua' || database === 'lua' || excluded.has(source)) return;
    const command = (args[0] ?? '').toUpperCase();
    counts.set(command, (counts.get(command) ?? 0) + 1);
  });
  return {
    counts,
    refreshExcluded,
    async close() {
      feed.disconnect();
      monitor.disconnect();
    },
  };
};

const stack = await openDispatchStack(config);
const workers = buildWorkers(config, { llm: new OfflineProvider() });
const poller = createRedisClient(config.redis.url, 'producer', 'ai-org-bench-poller');
const events = createRedisClient(config.redis.url, 'worker', 'ai-org-bench-events');
let failedCheck = false;
try {
  await Promise.all([poller.connect(), events.connect()]);
  const tokensPlan = 1;
  await stack.domain.budget.topUp(tenant, stack.domain.budget.costOfTokens(tokensPlan * 1_000) * taskCount * 2);
  await workers.start();
  await stack.domain.tasks.createPlan(tenant, {
    tasks: Array.from({ length: taskCount }, (_, i) => ({
      key: `c${i}`,
      description: `Cost task ${i}: write the changelog entry`,
      owner: 'dev',
      tokensPlan,
    })),
  });
  const eventTally = { count: 0, bytes: 0, byKind: new Map<string, number>() };
  await events.subscribe(tenantEventChannel(tenant));
  events.on('message', (_channel: string, message: string) => {
    eventTally.count += 1;
    eventTally.bytes += Buffer.byteLength(message);
    const kind = (JSON.parse(message) as { kind?: string }).kind ?? '?';
    eventTally.byKind.set(kind, (eventTally.byKind.get(kind) ?? 0) + 1);
  });
  const neo4jCounts = countNeo4jTransactions();
  const redis = await countRedisCommands('ai-org-bench-poller');
  const queue = stack.domain.queues.queue(tenant, 'dev');
  const pollQueue = new Queue(queue.name, { connection: poller, prefix: queue.opts.prefix });
  await redis.refreshExcluded();

  await stack.domain.dispatch.dispatchReady(tenant, taskCount);
  await until('every job finished', async () => {
    const counts = await pollQueue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return Object.values(counts).every((n) => n === 0);
  });
  // The last events (done, budget) are published after the job's last write: let them arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const neo4jTotals = { ...neo4jCounts };
  const redisTotal = [...redis.counts.values()].reduce((sum, n) => sum + n, 0);
  const topCommands = [...redis.counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([command, n]) => `${command} ${formatNumber(n / taskCount)}`)
    .join(', ');
  await redis.close();
  await pollQueue.close();

  const { records } = await stack.driver.executeQuery(
    "MATCH (t:Task {tenantId: $tenant}) RETURN count(t) AS total, count(CASE WHEN t.status = 'done' AND t.dispatchCount = 1 THEN 1 END) AS doneOnce",
    { tenant },
    { database: config.neo4j.database },
  );
  const doneOnce = Number(records[0]?.get('doneOnce'));
  const checks: Check[] = [
    { name: 'every task done, dispatched once', ok: doneOnce === taskCount, detail: `${doneOnce} of ${taskCount}` },
    await ledgerMatchesRedis(stack, tenant),
  ];
  failedCheck = checks.some((check) => !check.ok);
  const perTask = (n: number) => formatNumber(n / taskCount);
  saveSection({
    id: 'B7',
    title: 'Per-task costs: what one task costs Neo4j, Redis and live clients',
    comparisons: [],
    checks,
    figures: {
      tasks: `${taskCount} independent dev tasks of ${tokensPlan}k planned tokens, offline provider, concurrency ${concurrency}; dispatch (one tick's admission) and run, counted from the first dispatch to the last job's end`,
      'Neo4j write transactions per task': `${perTask(neo4jTotals.write)} (${neo4jTotals.write} in all: claims and ledger entries in batches, each job's start, completion and settlement entry)`,
      'Neo4j read transactions per task': `${perTask(neo4jTotals.read)} (${neo4jTotals.read} in all), auto-commit queries: ${neo4jTotals.autoCommit}`,
      'Redis commands per task': `${perTask(redisTotal)} (${redisTotal} in all; most frequent per task: ${topCommands})`,
      'live events per task': `${perTask(eventTally.count)} (${[...eventTally.byKind].map(([kind, n]) => `${kind} ${perTask(n)}`).join(', ')})`,
      'event bytes per task': `${formatNumber(eventTally.bytes / taskCount)} B (${formatNumber(eventTally.bytes / Math.max(1, eventTally.count))} B per event, sent once per open subscriber)`,
    },
  });
} finally {
  await workers.stop();
  poller.disconnect();
  events.disconnect();
  await stack.close([tenant]);
}
if (failedCheck) process.exitCode = 1;
