/**
 * B4 orchestrator tick at 10,000 tasks, each state against a hand-written read of the fields a tick needs:
 * idle (nothing ready), busy (some ready tasks, dispatched every tick: they are put back to todo before each
 * run, untimed) and budget-starved (ready tasks, no money). A starved tick after the first must write and
 * announce nothing: the tenant's tasks are compared before and after it and its Redis event channel is
 * listened to. Sizes: BENCH_TICK_TASKS (10,000), BENCH_BUSY_READY (20), BENCH_STARVED_READY (600),
 * BENCH_TICK_RUNS (10), BENCH_WARMUP (2).
 */
import { createLogger, createRedisClient, tenantEventChannel } from '@ai-org/core';
import { createDomain } from '@ai-org/domain';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { deleteTenantData } from '@ai-org/testing';
import { buildOrchestrator } from '@ai-org/workers';
import { benchConfig, benchTenant } from './lib/bench-stack';
import { type Check, type Comparison, percentiles, saveSection } from './lib/report';
import { type Bolt, deleteTasks, readyIds, seedTasks, syntheticTasks, withStatus } from './lib/task-seed';
import { sizeFromEnv, type Timing, timeAlternating } from './lib/timed-runs';
import { waitUntil } from './lib/wait-until';

const size = sizeFromEnv('BENCH_TICK_TASKS', 10_000);
const busyReady = sizeFromEnv('BENCH_BUSY_READY', 20);
const starvedReady = sizeFromEnv('BENCH_STARVED_READY', 600);
const timing = { runs: sizeFromEnv('BENCH_TICK_RUNS', 10), warmUp: sizeFromEnv('BENCH_WARMUP', 2) };

const working = benchTenant('tick-w'); // idle, then busy
const starved = benchTenant('tick-s');
const tenants = [working, starved];
const config = benchConfig(tenants, {
  // Only the ticks the benchmark asks for: no sweep after the first, no recovery of its queued tasks.
  ORCHESTRATOR_INTERVAL_MS: '3600000',
  RECOVER_QUEUED_AFTER_MS: '3600000',
});
const bolt: Bolt = createNeo4jDriver(config.neo4j);
const redis = createRedisClient(config.redis.url, 'worker', 'bench-tick');
const subscriber = createRedisClient(config.redis.url, 'worker', 'bench-tick-events');
const domain = createDomain(config, { driver: bolt, redis, logger: createLogger(config.log, 'bench') });
const orchestrator = buildOrchestrator(config, { onTick: () => {} });

/** What a tick needs of every task, read by hand in one query. */
const handRead = `MATCH (t:Task {tenantId: $tenantId})
  RETURN t.id AS id, t.status AS status, t.statusReason AS statusReason, t.owner AS owner,
         t.businessValue AS businessValue, t.purposeRelevance AS purposeRelevance, t.tokensPlan AS tokensPlan,
         t.tokensActual AS tokensActual, [(t)-[:DEPENDS_ON]->(d) | d.id] AS dependsOn`;

/** Every task's mutable state, to see what a tick changed. */
const snapshot = async (tenantId: string): Promise<Map<string, string>> => {
  const { records } = await bolt.executeQuery(
    `MATCH (t:Task {tenantId: $tenantId})
     RETURN t.id AS id, [t.status, t.statusReason, toString(t.dispatchCount), toString(t.queuedAt)] AS state`,
    { tenantId },
  );
  return new Map(records.map((r) => [r.get('id') as string, JSON.stringify(r.get('state'))]));
};

const setStatus = (tenantId: string, ids: readonly string[], status: string) =>
  bolt.executeQuery(
    'MATCH (t:Task {tenantId: $tenantId}) WHERE t.id IN $ids SET t.status = $status, t.statusReason = null',
    { tenantId, ids, status },
  );

const comparisons: Comparison[] = [];
const checks: Check[] = [];
const figures: Record<string, string> = {};
const versus = (name: string, platform: Timing, baseline: Timing, target: { text: string; limit: number | null }) => {
  const ratio = platform.p50 / baseline.p50;
  comparisons.push({
    name,
    platform: { label: 'tick', value: platform.p50, unit: 'ms p50' },
    baseline: { label: 'hand-written read', value: baseline.p50, unit: 'ms p50' },
    ratio,
    target: target.text,
    met: target.limit === null ? null : ratio <= target.limit,
    note: `p99 ${platform.p99.toFixed(1)} ms vs ${baseline.p99.toFixed(1)} ms, ${platform.runs} runs`,
  });
};

try {
  await migrate(bolt);
  await redis.connect();
  console.log(`B4 tick: seeding two tenants of ${size} tasks`);
  const workingTasks = syntheticTasks(size, { seed: 4, readyCount: busyReady });
  const workingReady = readyIds(workingTasks);
  await seedTasks(bolt, working, withStatus(workingTasks, workingReady, 'doing'));
  const starvedTasks = syntheticTasks(size, { seed: 5, readyCount: starvedReady });
  const starvedIds = readyIds(starvedTasks);
  await seedTasks(bolt, starved, withStatus(starvedTasks, starvedIds, 'doing'));
  // Enough for every busy run; the starved tenant is never funded.
  await domain.budget.topUp(working, 1_000_000_000);
  await orchestrator.start(); // its first sweep ticks both tenants once

  const read = (tenantId: string) => () => bolt.executeQuery(handRead, { tenantId });

  // Idle: every ready task is already running.
  let idleReport = await orchestrator.tick(working);
  const idle = await timeAlternating(
    async () => {
      idleReport = await orchestrator.tick(working);
    },
    read(working),
    timing,
  );
  const idleRead = idle.baseline;
  versus(`idle tick, ${size} tasks`, idle.platform, idleRead, { text: '≤ 1.5× the hand-written read', limit: 1.5 });
  checks.push({
    name: 'an idle tick dispatches nothing',
    ok: idleReport.ready === 0 && idleReport.dispatched === 0 && idleReport.total === size,
    detail: `${idleReport.total} tasks, ${idleReport.ready} ready, ${idleReport.dispatched} dispatched`,
  });

  // Busy: the same ready tasks are put back to todo before each tick, which dispatches them all.
  const dispatchedPerTick: number[] = [];
  const busySample: number[] = [];
  for (let run = 0; run < timing.warmUp + timing.runs; run += 1) {
    await setStatus(working, workingReady, 'todo');
    const start = performance.now();
    const report = await orchestrator.tick(working);
    if (run >= timing.warmUp) busySample.push(performance.now() - start);
    dispatchedPerTick.push(report.dispatched);
  }
  const busy = { ...percentiles(busySample), runs: timing.runs };
  versus(`busy tick (${workingReady.length} ready), ${size} tasks`, busy, idleRead, {
    text: '— (dispatch cost)',
    limit: null,
  });
  const { records: counts } = await bolt.executeQuery(
    'MATCH (t:Task {tenantId: $tenantId}) WHERE t.id IN $ids RETURN collect(coalesce(t.dispatchCount, 0)) AS n',
    { tenantId: working, ids: workingReady },
  );
  const ticks = timing.warmUp + timing.runs;
  const dispatchCounts = counts[0]?.get('n') as unknown[];
  checks.push({
    name: 'a busy tick dispatches each ready task once',
    ok:
      dispatchedPerTick.every((n) => n === workingReady.length) &&
      dispatchCounts.length === workingReady.length &&
      dispatchCounts.every((n) => Number(n) === ticks),
    detail: `${workingReady.length} ready tasks, dispatched per tick: ${[...new Set(dispatchedPerTick)].join('/')}, each task dispatched ${[...new Set(dispatchCounts.map(Number))].join('/')} times in ${ticks} ticks`,
  });

  // Budget-starved: the ready tasks become todo; the first tick marks them waiting for budget.
  await setStatus(starved, starvedIds, 'todo');
  const firstStart = performance.now();
  const first = await orchestrator.tick(starved);
  figures['first starved tick (marks the ready tasks waiting for budget)'] =
    `${(performance.now() - firstStart).toFixed(0)} ms, ${first.waitingForBudget} waiting for budget`;

  let events = 0;
  let markerSeen = false;
  const marker = `bench-marker-${starved}`;
  subscriber.on('message', (_channel, message: string) => {
    if (message === marker) markerSeen = true;
    else events += 1;
  });
  await subscriber.connect();
  await subscriber.subscribe(tenantEventChannel(starved));
  const before = await snapshot(starved);
  const second = await orchestrator.tick(starved);
  // Everything the tick published reached the channel before this marker does.
  await redis.publish(tenantEventChannel(starved), marker);
  await waitUntil(() => markerSeen, 'the marker on the starved tenant channel', 10_000);
  const after = await snapshot(starved);
  const changed = [...after].filter(([id, state]) => before.get(id) !== state).length;
  checks.push({
    name: 'a second budget-starved tick writes and announces nothing',
    ok: changed === 0 && events === 0 && second.dispatched === 0 && second.waitingForBudget === starvedIds.length,
    detail: `${second.waitingForBudget} tasks waiting for budget; ${changed} tasks changed, ${events} events on the tenant channel`,
  });
  const starvedTimes = await timeAlternating(() => orchestrator.tick(starved), read(starved), timing);
  versus(
    `budget-starved tick (${starvedIds.length} ready), ${size} tasks`,
    starvedTimes.platform,
    starvedTimes.baseline,
    {
      text: '— (writes nothing: see check)',
      limit: null,
    },
  );

  // The orchestrator observed every tick in its tick-duration histogram.
  const histogram = await orchestrator.metrics.registry.getSingleMetric('ai_org_tick_duration_seconds')?.get();
  const observed = (tenantId: string) =>
    (histogram?.values as { metricName?: string; labels: Record<string, unknown>; value: number }[] | undefined)?.find(
      (v) =>
        v.metricName === 'ai_org_tick_duration_seconds_count' &&
        v.labels.tenant === tenantId &&
        v.labels.outcome === 'ok',
    )?.value ?? 0;
  const madeOnWorking = 1 + 1 + timing.warmUp + timing.runs + ticks;
  checks.push({
    name: 'the tick-duration histogram counts every tick',
    ok: observed(working) === madeOnWorking,
    detail: `${observed(working)} observed, ${madeOnWorking} ticks made on ${working}`,
  });
  figures.sizes = `${size} tasks per tenant (≈2 edges each, 30% done); busy: ${workingReady.length} ready; starved: ${starvedIds.length} ready, no budget`;
  figures.runs = `p50/p99 of ${timing.runs} runs after ${timing.warmUp} warm-up runs`;
  saveSection({ id: 'B4', title: 'Orchestrator tick vs a hand-written read', comparisons, checks, figures });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await orchestrator.stop();
  subscriber.disconnect();
  for (const tenant of tenants) await deleteTasks(bolt, tenant).catch(() => undefined);
  await deleteTenantData(tenants, { bolt, redisUrl: config.redis.url }).catch((error: unknown) => console.error(error));
  await domain.close();
  redis.disconnect();
  await bolt.close();
}
if (checks.some((check) => !check.ok)) process.exitCode = 1;
