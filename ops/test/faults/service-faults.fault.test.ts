import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainsPlan,
  expectAccounting,
  type FaultStack,
  faultServices,
  startFaultRun,
  startFaultStack,
} from './fault-run';
import { type FaultServices, killPid, startNeo4j, startRedis } from './services';

/**
 * The suite's private Redis and Neo4j killed with SIGKILL under the running processes and started
 * again, on the same data or (Redis, last) on none; after each scenario the tenant's plan has run to the end, every task done
 * once and paid once.
 */
describe('Redis and Neo4j killed mid-run', () => {
  let faults: FaultStack;
  beforeAll(async () => {
    // Retries spread over longer than a restart takes, and LLM calls that outlast one.
    faults = await startFaultStack(3, { JOB_BACKOFF_MS: '1000', LLM_TIMEOUT_MS: '120000' });
  });
  afterAll(async () => {
    await faults?.close();
  });

  /**
   * A plan run to its middle on the tenant, Redis killed with SIGKILL there, `restart` done, then the
   * accounting checked once every task has run to the end.
   */
  const killRedisMidRun = async (tenant: string, restart: (services: FaultServices) => Promise<void>) => {
    faults.llm.setDefault({ kind: 'slow', delayMs: 300 });
    const run = await startFaultRun(faults, tenant);
    try {
      const plan = chainsPlan();
      await run.plan(plan);
      await run.waitForDone(15);
      await run.waitForDoing();
      const services = faultServices();
      await killPid(services.redis.pid, 'SIGKILL');
      await restart(services);
      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  };

  it('Redis killed and restarted from its append-only file: nothing is lost, nothing charged twice', async () => {
    // The same data folder: replays the append-only file.
    await killRedisMidRun(faults.tenants[0] as string, startRedis);
  });

  it('Neo4j killed and restarted mid-run: typed errors meanwhile, no hang, then every task done once, charged once', async () => {
    // The first wave's LLM calls wait until Neo4j is back: the jobs are mid-run throughout the outage.
    faults.llm.setDefault({ kind: 'hold' });
    const run = await startFaultRun(faults, faults.tenants[1] as string);
    const readTasks = async () => {
      const response = await fetch(`${faults.stack.apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': run.tenant },
        body: JSON.stringify({ query: '{ tasks { id } }' }),
        signal: AbortSignal.timeout(20_000), // a hang fails the test here
      });
      return (await response.json()) as {
        data?: { tasks: { id: string }[] } | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
    };
    try {
      const plan = chainsPlan();
      await run.plan(plan);
      await run.waitForDoing();
      const services = faultServices();
      await killPid(services.neo4j.pid, 'SIGKILL');

      // A read of stored data answers with a typed error, not a hang or a stack trace.
      const during = await readTasks();
      expect(during.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(JSON.stringify(during)).not.toMatch(/at .+\.(ts|js):\d+/);

      await startNeo4j(services); // recovers its store from the transaction log
      faults.llm.setDefault({ kind: 'slow', delayMs: 200 });
      faults.llm.release();
      // Recovery: the same process answers the same read again, with the whole plan.
      await expect
        .poll(async () => (await readTasks()).data?.tasks.length, { timeout: 60_000 })
        .toBe(plan.tasks.length);
      // The jobs that met the outage waited it out (or were put back): the plan runs to its end.
      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  });

  it('Redis killed and started again without its data: recovered from Neo4j, nothing charged twice', async () => {
    // Its append-only file gone too: a Redis that kept nothing (no AOF, or a new, empty volume). Budgets are
    // rebuilt from the ledger, lost queued and doing tasks put back and run again once.
    await killRedisMidRun(faults.tenants[2] as string, async (services) => {
      rmSync(services.redis.dataDir, { recursive: true, force: true });
      await startRedis(services);
    });
  });
});
