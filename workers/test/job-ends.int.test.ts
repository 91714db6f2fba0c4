import { agentQueueName, dispatchIdOf, loadConfig, queuePrefix } from '@ai-org/core';
import { TaskRunRepository } from '@ai-org/schema';
import { type FakeLlmServer, startFakeLlmServer, startTcpProxy, type TcpProxy } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProvider, OpenAiProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

/** The tenant's charged total and the dispatch ids of its ledger's settlements, in micro-USD. */
const settlements = async (h: Harness) => {
  const { records } = await h.bolt.executeQuery(
    `MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'settle'}) RETURN e.jobId AS job, e.amountMicroUsd AS amount ORDER BY job`,
    { tenant: h.tenant },
  );
  return Object.fromEntries(records.map((r) => [r.get('job') as string, Number(r.get('amount'))]));
};

describe('a role worker meeting a Neo4j outage mid-job', () => {
  let llm: FakeLlmServer;
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    const real = new URL(loadConfig(process.env).neo4j.uri.replace(/^[a-z+]+:/, 'http:'));
    proxy = await startTcpProxy(real.hostname, Number(real.port || 7687));
    // Two attempts only: the outage below outlasts many more tries than that.
    h = await createHarness({ NEO4J_URI: `bolt://127.0.0.1:${proxy.port}`, JOB_ATTEMPTS: '2' });
  });
  afterAll(async () => {
    await h.close();
    await proxy.close();
    await llm.close();
  });

  it('waits the outage out without using its attempts: the task ends done once and is charged once', async () => {
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Outlast an outage', owner: 'dev', tokensPlan: 4 }] });
    const taskId = ids.a as string;
    await h.startWorkers(
      new OpenAiProvider({ apiKey: 'test-key', baseURL: llm.url, model: 'outage-model', timeoutMs: 30_000 }),
    );
    llm.enqueue({ kind: 'hold' });
    await h.dispatch.dispatch(h.tenant, taskId);
    await llm.waitForRequest(1);

    // Neo4j goes away while the agent thinks; its answer arrives during the outage.
    await proxy.down();
    llm.release();
    const job = async () => {
      const found = await h.queues.queue(h.tenant, 'dev').getJob(dispatchIdOf(taskId, 1));
      if (!found) throw new Error('the job vanished');
      return found;
    };
    // More tries than the job has attempts, each refused by the outage, none counted.
    await expect.poll(async () => (await job()).attemptsStarted, { timeout: 30_000, interval: 100 }).toBeGreaterThan(3);
    expect((await job()).attemptsMade).toBe(0);
    expect(await (await job()).getState()).not.toBe('failed');

    await proxy.up();
    await h.waitForStatus(taskId, 'done');
    expect((await job()).attemptsMade).toBe(1); // the attempt that completed, counted as it ended
    const { records } = await h.bolt.executeQuery(
      'MATCH (:Task {id: $taskId})-[:PRODUCED]->(a:Artifact) RETURN a.tokensUsed AS used',
      { taskId },
    );
    expect(records).toHaveLength(1);
    const cost = h.budget.costOfTokens(Math.round(Number(records[0]?.get('used')) * 1000));
    expect(await settlements(h)).toEqual({ [dispatchIdOf(taskId, 1)]: cost });
    expect(await h.store.read(h.tenant)).toEqual({
      left: 1_000_000 - cost,
      reserved: 0,
      spent: cost,
      funded: 1_000_000,
    });
  });
});

describe('a job that ended without writing its task', () => {
  let h: Harness;
  let orchestrator: Orchestrator;
  let foreign: Worker | undefined;

  beforeAll(async () => {
    h = await createHarness({ RECOVER_QUEUED_AFTER_MS: '1000' });
    orchestrator = buildOrchestrator(h.config, { llm: new OfflineProvider(), onTick: () => {} });
  });
  afterEach(async () => {
    await foreign?.close();
    foreign = undefined;
  });
  afterAll(async () => {
    await orchestrator?.stop();
    await h.close();
  });

  /**
   * Ends the dev queue's jobs as failed for good without touching their tasks, as BullMQ does with a
   * job that stalled too often, or as a processor whose last write met an outage leaves it.
   */
  const failJobsOutsideTheProcessor = async (): Promise<Worker> => {
    const worker = new Worker<unknown, unknown>(
      agentQueueName(h.tenant, 'dev'),
      async () => {
        throw new UnrecoverableError('ended outside the processor');
      },
      { connection: { url: h.config.redis.url }, prefix: queuePrefix(h.tenant) },
    );
    foreign = worker;
    return worker;
  };

  it.each(['queued', 'doing'] as const)(
    'puts a %s task whose job failed for good back, then runs it to done once, charged once',
    async (status) => {
      const runs = new TaskRunRepository(h.bolt, h.config.neo4j.database);
      await h.budget.topUp(h.tenant, 1_000_000);
      const ids = await h.plan({
        tasks: [{ key: 'a', description: `Lost while ${status}`, owner: 'dev', tokensPlan: 3 }],
      });
      const taskId = ids.a as string;
      const first = dispatchIdOf(taskId, 1);
      await h.dispatch.dispatch(h.tenant, taskId);
      if (status === 'doing') expect((await runs.startRun(h.tenant, taskId, first)).state).toBe('run');

      const worker = await failJobsOutsideTheProcessor();
      await expect
        .poll(async () =>
          h.queues
            .queue(h.tenant, 'dev')
            .getJob(first)
            .then((job) => job?.getState()),
        )
        .toBe('failed');
      await worker.close();
      expect((await h.tasks.get(h.tenant, taskId)).status).toBe(status);
      expect((await h.store.read(h.tenant))?.reserved).toBeGreaterThan(0);

      // The orchestrator's ticks put it back (once older than the grace period) and dispatch it again.
      await expect
        .poll(
          async () => {
            await orchestrator.tick(h.tenant);
            return (await h.tasks.get(h.tenant, taskId)).dispatchCount;
          },
          { timeout: 20_000, interval: 200 },
        )
        .toBe(2);
      const workers = await h.startWorkers(new OfflineProvider());
      const done = await h.waitForStatus(taskId, 'done');
      await workers.stop(); // the next case's job must reach the failing worker first
      const cost = h.budget.costOfTokens(Math.round(done.tokensActual * 1000));
      // The lost dispatch released at zero; the second one charged.
      expect(await settlements(h)).toMatchObject({ [first]: 0, [dispatchIdOf(taskId, 2)]: cost });
      const totals = await ledgerTotals(h.bolt, h.tenant);
      expect((await h.store.read(h.tenant))?.reserved).toBe(0);
      expect((await h.store.read(h.tenant))?.spent).toBe(totals.settle?.total);
    },
  );
});
