/**
 * B5 budget. (1) Reserve+settle pairs per second through BudgetService (the Redis script, the ledger
 * entry in Neo4j, the live budget event), against the Redis script alone (BudgetStore) and raw
 * `HINCRBYFLOAT` (two per pair), each driven by the same number of concurrent lanes; the ledger must
 * tell exactly what Redis tells. (2) The overspend race through the dispatch path: many concurrent
 * `DispatchService.dispatch` calls on a tenant whose budget pays for a tenth of them; nothing may be
 * overspent and every dispatched task must hold exactly its cost. Sizes: BENCH_PAIRS (1,000 through the
 * service; the Redis sides run BENCH_RAW_PAIRS, 10×), BENCH_LANES (16), BENCH_RACE_TASKS (1,000).
 * Exits 1 only when a correctness check fails or the run breaks.
 */
import { performance } from 'node:perf_hooks';
import { AppError, budgetKeys, monthOf } from '@ai-org/core';
import {
  benchConfig,
  benchTenant,
  type DispatchStack,
  envInt,
  ledgerMatchesRedis,
  openDispatchStack,
} from './lib/dispatch-stack';
import { type Check, type Comparison, formatNumber, percentiles, saveSection } from './lib/report';

const pairs = envInt('BENCH_PAIRS', 1_000);
const rawPairs = envInt('BENCH_RAW_PAIRS', pairs * 10);
const lanes = envInt('BENCH_LANES', 16);
const raceTasks = envInt('BENCH_RACE_TASKS', 1_000);
const raceFundedFor = Math.max(1, Math.round(raceTasks / 10));
const warmUpPairs = 50;
const cost = 1_000; // µUSD reserved per pair
/** What a pair is charged: a little less than it reserved, varying, so the release path runs too. */
const charge = (i: number) => cost - (i % 3) * 100;

const serviceTenant = benchTenant();
const scriptTenant = benchTenant();
const raceTenant = benchTenant();
const tenants = [serviceTenant, scriptTenant, raceTenant];
const config = benchConfig(tenants);

/** Runs `count` pairs over `lanes` concurrent lanes, each lane one pair after another; returns ms. */
const drive = async (count: number, pair: (i: number) => Promise<void>): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < count; i = next++) await pair(i);
    }),
  );
  return performance.now() - started;
};

const rate = (count: number, ms: number) => (count * 1_000) / ms;
const sum = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => charge(i + offset)).reduce((a, b) => a + b, 0);

const pairsPerSecond = async (stack: DispatchStack) => {
  const { budget } = stack.domain;
  const month = monthOf(new Date());
  let refused = 0;
  const servicePair = (prefix: string) => async (i: number) => {
    const reserved = await budget.reserve(serviceTenant, `${prefix}-${i}`, cost);
    if (reserved.status !== 'ok') refused += 1;
    await budget.settle(serviceTenant, `${prefix}-${i}`, charge(i));
  };
  const scriptPair = (prefix: string) => async (i: number) => {
    const reserved = await stack.store.reserve(scriptTenant, `${prefix}-${i}`, cost, 0, month);
    if (reserved.status !== 'ok') refused += 1;
    await stack.store.settle(scriptTenant, `${prefix}-${i}`, charge(i), month);
  };
  const rawKey = `bench:{${scriptTenant}}:raw`;
  const rawPair = async (i: number) => {
    await stack.redis.hincrbyfloat(rawKey, 'left', -cost);
    await stack.redis.hincrbyfloat(rawKey, 'left', cost - charge(i));
  };

  await budget.topUp(serviceTenant, cost * (pairs + warmUpPairs));
  await budget.topUp(scriptTenant, cost * (rawPairs + warmUpPairs));
  await drive(warmUpPairs, servicePair('warm'));
  await drive(warmUpPairs, scriptPair('warm'));
  await drive(warmUpPairs, rawPair);
  const serviceMs = await drive(pairs, servicePair('run'));
  const scriptMs = await drive(rawPairs, scriptPair('run'));
  const rawMs = await drive(rawPairs, rawPair);

  const [serviceBalance, scriptBalance] = await Promise.all([
    stack.store.read(serviceTenant),
    stack.store.read(scriptTenant),
  ]);
  const expectedService = sum(warmUpPairs) + sum(pairs);
  const expectedScript = sum(warmUpPairs) + sum(rawPairs);
  const checks: Check[] = [
    {
      name: 'every reservation granted',
      ok: refused === 0,
      detail: `${refused} of ${2 * warmUpPairs + pairs + rawPairs} reservations refused`,
    },
    {
      name: 'each pair charged exactly (service and script)',
      ok: serviceBalance?.spent === expectedService && scriptBalance?.spent === expectedScript,
      detail: `service spent ${serviceBalance?.spent} (expected ${expectedService}), script spent ${scriptBalance?.spent} (expected ${expectedScript}) µUSD; reserved ${serviceBalance?.reserved} and ${scriptBalance?.reserved}`,
    },
    await ledgerMatchesRedis(stack, serviceTenant),
  ];
  const service = rate(pairs, serviceMs);
  const script = rate(rawPairs, scriptMs);
  const raw = rate(rawPairs, rawMs);
  const ledgerNote = `each pair waits for its two ledger entries to commit in Neo4j (group-committed across the ${lanes} lanes), so it scales with concurrency, not with Redis`;
  const comparisons: Comparison[] = [
    {
      name: 'reserve+settle: service vs raw HINCRBYFLOAT',
      platform: { label: 'BudgetService (ledger, events)', value: service, unit: 'pairs/s' },
      baseline: { label: '2× HINCRBYFLOAT', value: raw, unit: 'pairs/s' },
      ratio: service / raw,
      target: '≥ 0.1×',
      met: service / raw >= 0.1,
      note: ledgerNote,
    },
    {
      name: 'reserve+settle: service vs the Redis script alone',
      platform: { label: 'BudgetService (ledger, events)', value: service, unit: 'pairs/s' },
      baseline: { label: 'BudgetStore scripts', value: script, unit: 'pairs/s' },
      ratio: service / script,
      target: '≥ 0.1×',
      met: service / script >= 0.1,
      note: ledgerNote,
    },
    {
      name: 'reserve+settle: Redis script vs raw HINCRBYFLOAT',
      platform: { label: 'BudgetStore scripts', value: script, unit: 'pairs/s' },
      baseline: { label: '2× HINCRBYFLOAT', value: raw, unit: 'pairs/s' },
      ratio: script / raw,
      target: '—',
      met: null,
    },
  ];
  return { comparisons, checks };
};

type RaceAnswer =
  | { readonly kind: 'dispatched'; readonly dispatchId: string; readonly reserved: number }
  | { readonly kind: string };

const overspendRace = async (stack: DispatchStack) => {
  const { domain } = stack;
  const taskCost = domain.budget.costOfTokens(1_000);
  const funded = raceFundedFor * taskCost;
  await domain.budget.topUp(raceTenant, funded);
  const created = await domain.tasks.createPlan(raceTenant, {
    tasks: Array.from({ length: raceTasks }, (_, i) => ({
      key: `r${i}`,
      description: `Race task ${i}`,
      owner: 'dev',
      tokensPlan: 1,
    })),
  });
  const ids = Object.values(created?.ids ?? {});
  const firstDispatch = stack.dispatchSeconds.dispatched.length + stack.dispatchSeconds.refused.length;

  const started = performance.now();
  const answers: RaceAnswer[] = await Promise.all(
    ids.map((id) =>
      domain.dispatch.dispatch(raceTenant, id).then(
        (d): RaceAnswer => ({ kind: 'dispatched', dispatchId: d.dispatchId, reserved: d.reservedMicroUsd }),
        (error: unknown): RaceAnswer => ({
          kind: error instanceof AppError ? error.code : `untyped: ${String(error).slice(0, 80)}`,
        }),
      ),
    ),
  );
  const raceMs = performance.now() - started;

  const byKind = new Map<string, number>();
  for (const answer of answers) byKind.set(answer.kind, (byKind.get(answer.kind) ?? 0) + 1);
  const dispatched = answers.filter((a): a is Extract<RaceAnswer, { kind: 'dispatched' }> => a.kind === 'dispatched');
  const keys = budgetKeys(raceTenant);
  const [balance, held, ledger, { records }, jobs] = await Promise.all([
    stack.store.read(raceTenant),
    stack.redis.hgetall(keys.reservations),
    domain.repositories.ledger.snapshot(raceTenant),
    stack.driver.executeQuery(
      "MATCH (t:Task {tenantId: $tenant}) WHERE t.status = 'queued' RETURN count(t) AS queued",
      { tenant: raceTenant },
      { database: config.neo4j.database },
    ),
    domain.queues.queue(raceTenant, 'dev').getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
  ]);
  const queuedTasks = Number(records[0]?.get('queued') ?? 0);
  const jobCount = Object.values(jobs).reduce((a, b) => a + b, 0);
  const inexact = dispatched.filter(
    (d) =>
      d.reserved !== taskCost ||
      Number(held[d.dispatchId]) !== taskCost ||
      ledger.reservations.get(d.dispatchId) !== taskCost,
  );
  const noOverspend =
    balance !== null &&
    balance.left >= 0 &&
    balance.spent + balance.reserved <= balance.funded &&
    balance.funded === funded;
  const typed = [...byKind.keys()].filter((kind) => kind.startsWith('untyped'));
  const checks: Check[] = [
    {
      name: '0 overspend through dispatch',
      ok: noOverspend && dispatched.length * taskCost <= funded,
      detail: `funded ${funded}, reserved ${balance?.reserved}, spent ${balance?.spent}, left ${balance?.left} µUSD; ${dispatched.length} dispatched at ${taskCost} each`,
    },
    {
      name: "each dispatched task's reservation exact",
      ok:
        inexact.length === 0 &&
        Object.keys(held).length === dispatched.length &&
        balance?.reserved === dispatched.length * taskCost,
      detail: `${dispatched.length - inexact.length} of ${dispatched.length} hold exactly ${taskCost} µUSD in Redis and the ledger; ${Object.keys(held).length} reservations in Redis`,
    },
    {
      name: 'a queued task for each job, a job for each dispatch',
      ok: queuedTasks === dispatched.length && jobCount === dispatched.length,
      detail: `${dispatched.length} dispatched, ${queuedTasks} tasks queued, ${jobCount} jobs on the queue`,
    },
    {
      name: 'every dispatch answered with a job or a typed error',
      ok: typed.length === 0,
      detail: [...byKind].map(([kind, n]) => `${kind} ${n}`).join(', '),
    },
    await ledgerMatchesRedis(stack, raceTenant),
  ];
  const seconds = [...stack.dispatchSeconds.dispatched, ...stack.dispatchSeconds.refused].slice(firstDispatch);
  const p = percentiles(seconds.map((s) => s * 1_000));
  const figures = {
    race: `${ids.length} concurrent dispatches, budget for ${raceFundedFor}: ${dispatched.length} dispatched in ${formatNumber(raceMs)} ms (${[...byKind].map(([kind, n]) => `${kind} ${n}`).join(', ')})`,
    'race dispatch duration': `p50 ${formatNumber(p.p50)} ms, p99 ${formatNumber(p.p99)} ms (dispatched and refused)`,
  };
  return { checks, figures };
};

const stack = await openDispatchStack(config);
let failedCheck = false;
try {
  const throughput = await pairsPerSecond(stack);
  const race = await overspendRace(stack);
  const checks = [...throughput.checks, ...race.checks];
  failedCheck = checks.some((check) => !check.ok);
  saveSection({
    id: 'B5',
    title: 'Budget: reserve+settle throughput and the overspend race',
    comparisons: throughput.comparisons,
    checks,
    figures: {
      pairs: `${pairs} through the service, ${rawPairs} on each Redis side, ${lanes} concurrent lanes, after ${warmUpPairs} warm-up pairs each`,
      ...race.figures,
    },
  });
} finally {
  await stack.close(tenants);
}
if (failedCheck) process.exitCode = 1;
