import { randomBytes } from 'node:crypto';
import { type Config, createRedisClient, loadConfig, type RedisClient, readSequence } from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import {
  deleteTenantData,
  type FakeLlmServer,
  graphqlClient,
  type RedisClusterHandle,
  startFakeLlmServer,
  startRedisCluster,
  warmUp,
} from '@ai-org/testing';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainsPlan, createPlanMutation, expectAccounting, type FaultRun } from '../faults/fault-run';
import { diagnoseAccounting } from './accounting-diagnosis';
import { startKillLoop } from './kill-loop';
import { type LiveReplica, openLiveReplica } from './live-replica';
import { type Replicas, startReplicas } from './replicas';

const adminToken = 'scale-admin';
/** 100 independent chains of 3: a hundred tasks ready at any moment, 300 in all. */
const plan = chainsPlan(100, 3);
const subscriberCount = 200;
const countBy = (values: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};
/** Subscribers opened (and snapshots fetched) this many at a time, not 200 handshakes at once. */
const openBatch = 20;
const killEveryMs = 3_000;
/** How long the plan may take with a worker process killed every few seconds. */
const runDeadlineMs = 240_000;

/**
 * Issue 17 part 4: the platform as several replicas on this machine, on a real Redis Cluster and the
 * Neo4j. Nothing may be lost or doubled while worker processes die under it: every task done once and
 * charged once, and every subscriber, on either API, ends up with the tenant's state.
 */
describe('two APIs, three worker processes and two orchestrators on a three-master Redis Cluster', () => {
  const tenant = `scale-${randomBytes(4).toString('hex')}`;
  let cluster: RedisClusterHandle | undefined;
  let llm: FakeLlmServer | undefined;
  let replicas: Replicas | undefined;
  let config: Config;
  let bolt: Driver | undefined;
  let redis: RedisClient | undefined;
  const live: LiveReplica[] = [];

  const statuses = async (): Promise<Record<string, number>> => {
    const { records } = await (bolt as Driver).executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.status AS status, count(t) AS n',
      { tenant },
    );
    return Object.fromEntries(records.map((r) => [r.get('status'), Number(r.get('n'))]));
  };

  beforeAll(async () => {
    cluster = await startRedisCluster();
    config = loadConfig({ ...process.env, REDIS_CLUSTER_NODES: cluster.nodes.join(',') });
    llm = await startFakeLlmServer();
    // Each answer takes a while, so a kill lands in the middle of jobs.
    llm.setDefault({ kind: 'slow', delayMs: 300 });
    replicas = await startReplicas(
      { api: 2, workers: 3, orchestrator: 2 },
      {
        NODE_ENV: 'test',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        REDIS_CLUSTER_NODES: cluster.nodes.join(','),
        WORKER_TENANTS: tenant,
        DEFAULT_TENANT: '',
        ADMIN_TOKEN: adminToken,
        // 200 sockets of one tenant from one address; the limits have their own tests (server/test/limits).
        MAX_SOCKETS_PER_TENANT: '100000',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
        RATE_LIMIT_PER_MINUTE: '1000000',
        AUTH_FAILURES_PER_MINUTE: '1000000',
        TENANT_MAX_CONCURRENT_OPERATIONS: '100000',
        BUDGET_MIN_LEFT_USD: '0',
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: llm.url,
        LLM_TIMEOUT_MS: '10000',
        JOB_ATTEMPTS: '5',
        JOB_BACKOFF_MS: '100',
        WORKER_CONCURRENCY: '4',
        // Every worker process busy at once; a killed one's slots come back after a short lease.
        TENANT_MAX_RUNNING_JOBS: '12',
        TENANT_SLOT_LEASE_MS: '3000',
        TENANT_SLOT_RETRY_MS: '300',
        // A killed worker's jobs are found stalled and taken by another within seconds. (A lock shorter
        // than this is lost by live workers too on a busy 2-core machine: their jobs stall as well.)
        WORKER_LOCK_DURATION_MS: '5000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        WORKER_SHUTDOWN_TIMEOUT_MS: '2000',
        ORCHESTRATOR_INTERVAL_MS: '500',
        RECOVER_QUEUED_AFTER_MS: '5000',
      },
    );
    bolt = createNeo4jDriver(config.neo4j);
    redis = createRedisClient(config.redis, 'worker', 'scale-check');
    await redis.connect();
  }, 300_000);

  afterAll(async () => {
    // Every step runs whatever failed before it: the tenant's data must go, and no process may stay.
    const failures: unknown[] = [];
    const step = async (cleanUp: () => Promise<unknown> | undefined) => {
      await Promise.resolve()
        .then(cleanUp)
        .catch((error: unknown) => failures.push(error));
    };
    await step(() => Promise.all(live.map((replica) => replica.dispose().catch(() => {}))));
    await step(() => replicas?.stop());
    await step(() => (bolt && cluster ? deleteTenantData([tenant], { bolt, redisUrl: config.redis }) : undefined));
    redis?.disconnect();
    await step(() => bolt?.close());
    await step(() => llm?.close());
    await step(() => cluster?.stop());
    if (failures.length > 0) throw failures[0];
  }, 120_000);

  it('runs a 300-task plan to the end while a worker process is killed every few seconds: every task done and charged once, every subscriber in step', async () => {
    const startedAt = Date.now();
    const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);
    const running = replicas as Replicas;
    const apis = running.of('api');
    const gql = graphqlClient(running.apiUrl(apis[0] as string), adminToken);
    await gql(tenant, 'mutation($usd: Float!) { setBudget(amountUsd: $usd) { leftUsd } }', { usd: 1 });

    // 200 subscribers, half on each API, each holding the tenant's state as a client does.
    for (let i = 0; i < subscriberCount; i += openBatch) {
      const batch = Array.from({ length: openBatch }, (_, j) =>
        openLiveReplica(running.apiUrl(apis[(i + j) % apis.length] as string), tenant),
      );
      live.push(...batch);
      await Promise.all(batch.map((replica) => replica.subscriber.connected));
    }
    // Warm-up events are budget top-ups: funding the ledger and Redis must agree on, like any other.
    await warmUp(
      live.map((replica) => replica.subscriber),
      () => gql(tenant, 'mutation($usd: Float!) { topUpBudget(amountUsd: $usd) { leftUsd } }', { usd: 0.01 }),
    );
    for (let i = 0; i < live.length; i += openBatch) {
      await Promise.all(live.slice(i, i + openBatch).map((replica) => replica.start()));
    }

    // The kills start with the plan: its first tasks run while createPlan still announces the others.
    const killLoop = startKillLoop(running, running.of('workers'), killEveryMs);
    try {
      await gql(tenant, createPlanMutation, { input: plan });
      console.info(`scale run: plan created at ${seconds()} s`, JSON.stringify(await statuses()));
      await expect
        .poll(async () => (await statuses()).done ?? 0, { timeout: runDeadlineMs, interval: 500 })
        .toBe(plan.tasks.length);
    } finally {
      await killLoop.stop();
    }
    console.info(`scale run: every task done at ${seconds()} s, ${killLoop.kills.length} worker kills`);
    expect(killLoop.kills.length).toBeGreaterThanOrEqual(3);
    expect(killLoop.kills.filter((kill) => kill.signal !== 'SIGKILL')).toEqual([]);

    // Done once, charged once, ledger = Redis, nothing reserved or queued (the fault suite's checks;
    // its sequence check runs on one subscriber, all of them are checked below). A failure is thrown
    // after the subscribers' checks, so one run tells both.
    const accountingRun: Pick<FaultRun, 'tenant' | 'statuses'> & {
      faults: { bolt: Driver; redis: RedisClient };
      subscribers: { events: { seq: number }[] }[];
    } = {
      tenant,
      statuses,
      faults: { bolt: bolt as Driver, redis: redis as RedisClient },
      subscribers: [{ events: (live[0] as LiveReplica).received.map((seq) => ({ seq })) }],
    };
    // (expectAccounting reads only these fields; a Cluster client serves its Redis calls as well.)
    const accountingFailure = await expectAccounting(accountingRun as unknown as FaultRun, plan.tasks.length).then(
      () => undefined,
      async (error: unknown) => {
        const logs = running.names.map((name) => running.output(name)).join('\n');
        const context = { bolt: bolt as Driver, redis: redis as RedisClient, tenant };
        console.error('scale run: accounting failed; the tasks concerned:\n', await diagnoseAccounting(context, logs));
        return error;
      },
    );

    // Every subscriber received the tenant's events in order, none twice, and holds the final state:
    // applied one by one up to the last event, or through a snapshot fetched after a gap or a
    // reconnection. (An API cuts a socket whose client reads too slowly to answer its keep-alive ping in
    // time, as this one process of 200 subscribers sometimes does: the client connects again and loads
    // a snapshot, and one that does so after the last event never receives it. The APIs may still be
    // delivering a backlog: waited for, then checked.)
    const finalSeq = () => readSequence(redis as RedisClient, tenant);
    const holdsLast = (replica: LiveReplica, last: number) =>
      replica.applied() === last && (replica.received.at(-1) === last || replica.snapshotSeq === last);
    const caughtUp = async () => {
      const last = await finalSeq();
      return live.every((replica) => holdsLast(replica, last));
    };
    await expect
      .poll(caughtUp, { timeout: 60_000, interval: 500 })
      .toBe(true)
      .catch(() => {}); // who is behind, and how, shows below
    const last = await finalSeq();
    const problems = live.flatMap((replica, i) => {
      const seqs = replica.received;
      const problem = {
        subscriber: i,
        api: replica.apiUrl,
        backwards: seqs.filter((seq, j) => j > 0 && seq <= (seqs[j - 1] ?? 0)).length,
        behind: last - (replica.applied() ?? 0),
        lastReceived: seqs.at(-1),
        snapshotSeq: replica.snapshotSeq,
        snapshotErrors: replica.snapshotErrors,
        closes: replica.closes,
      };
      const ok = !problem.backwards && holdsLast(replica, last) && problem.snapshotErrors.length === 0;
      return ok ? [] : [problem];
    });
    const gapped = live.filter((replica) => replica.gaps.length > 0);
    console.info(
      `scale run: checked at ${seconds()} s; ${last - (live[0]?.received[0] ?? last)} events per subscriber; ` +
        `${gapped.length} of ${live.length} subscribers resynchronised after ` +
        `${gapped.reduce((n, r) => n + r.gaps.length, 0)} gaps, ` +
        `${live.reduce((n, r) => n + r.closes.length, 0)} sockets reconnected; ${problems.length} out of step`,
    );
    expect(problems).toEqual([]);
    // A gap is repaired by a snapshot loaded after it (on top of the first one every subscriber loads).
    expect(live.filter((replica) => replica.gaps.length > 0 && replica.snapshots < 2)).toEqual([]);

    // And each holds every task's stored status: a task's snapshot published after a newer one (createPlan
    // announces its tasks after its transaction while the orchestrators dispatch them at once; a worker
    // that lost its lock announces late) is older by version, and a client keeps the newer one.
    // (Polled: a reservation the reconciler settled last has its task announced a moment after.)
    const staleStatuses = async () => {
      const { records } = await (bolt as Driver).executeQuery(
        'MATCH (t:Task {tenantId: $tenant}) RETURN t.id AS id, t.status AS status',
        { tenant },
      );
      const stored = Object.fromEntries(records.map((r) => [r.get('id') as string, r.get('status') as string]));
      return live.flatMap((replica, i) => {
        const tasks = Object.fromEntries(replica.tasks);
        const stale = countBy(
          Object.keys({ ...stored, ...tasks }).flatMap((id) =>
            tasks[id] === stored[id] ? [] : [`${tasks[id]} (stored: ${stored[id]})`],
          ),
        );
        return Object.keys(stale).length > 0 ? [{ subscriber: i, stale }] : [];
      });
    };
    await expect.poll(staleStatuses, { timeout: 30_000, interval: 1_000 }).toEqual([]);
    if (accountingFailure) throw accountingFailure;
  }, 420_000);
});
