import { WorkspaceRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchService } from '../dispatch/dispatch.service';
import { createTestBed } from '../test-bed';
import { ReservationReconciler } from './reservation-reconciler';

/**
 * A process that dies between settling a job in Redis and writing the ledger, or before settling at
 * all, while its job never comes back (BullMQ failed it for stalling, Redis lost it): the reconciler
 * settles such reservations as the job's own redelivery would, once, in both places, and leaves alone
 * every reservation whose owner may still settle it. Real Neo4j and Redis.
 */
describe('reconciling reservations a dead process left open', () => {
  const bed = createTestBed('reconcile');
  const { store, queues, runs, ledger, tasks, budget } = bed;
  const steps = new WorkspaceRepository(bed.driver);
  const dispatch = new DispatchService(runs, budget, queues);
  /** Tasks the reconciler announced, by tenant. */
  const announced: string[] = [];
  const announcer = {
    announce: async (tenant: string, taskIds: readonly string[]) => {
      announced.push(...taskIds.map((id) => `${tenant}/${id}`));
    },
  };
  const reconciler = new ReservationReconciler({ budget, runs, steps, queues, announcer, olderThanMs: 0 });

  /** A funded tenant with one dispatched dev task (2k planned tokens: 1,000 µUSD reserved). */
  const dispatchedTask = async () => {
    const tenant = bed.newTenant();
    await budget.topUp(tenant, 100_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [{ key: 'a', description: 'Reconciled task', owner: 'dev', tokensPlan: 2, businessValue: 5 }],
    });
    const taskId = created?.ids.a as string;
    const summary = await dispatch.dispatchReady(tenant, 10);
    expect(summary.dispatched).toHaveLength(1);
    return { tenant, taskId, dispatchId: `${taskId}.1` };
  };
  /** The job is gone for good, as when BullMQ failed it for stalling or Redis lost it. */
  const loseJob = async (tenant: string, jobId: string) => {
    await (await queues.queue(tenant, 'dev').getJob(jobId))?.remove();
  };
  const finishRun = async (tenant: string, taskId: string, dispatchId: string, tokensUsed: number) => {
    await runs.startRun(tenant, taskId, dispatchId);
    const done = await runs.completeRun({
      tenantId: tenant,
      taskId,
      dispatchId,
      tokensUsed,
      artifact: { kind: 'dev-deliverable', content: 'done', provider: 'offline', model: 'offline', offline: true },
    });
    expect(done.state).toBe('done');
  };
  /** Ledger and Redis: what each says of the job, and whether their balances agree. */
  const accounts = async (tenant: string, jobId: string) => {
    const snapshot = await ledger.snapshot(tenant);
    const balance = await store.read(tenant);
    return {
      ledgerCharge: snapshot.settlements.get(jobId) ?? null,
      ledgerOpen: snapshot.reservations.has(jobId),
      redisCharge: (await store.settledCharges(tenant, [jobId])).get(jobId) ?? null,
      agree:
        balance?.left === snapshot.left && balance.reserved === snapshot.reserved && balance.spent === snapshot.spent,
    };
  };

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('records in the ledger what Redis charged when the worker died between the two settlements', async () => {
    const { tenant, taskId, dispatchId } = await dispatchedTask();
    await finishRun(tenant, taskId, dispatchId, 1_200);
    await store.settle(tenant, dispatchId, 600); // Redis settled; the ledger entry was never written
    await loseJob(tenant, dispatchId);
    expect(await accounts(tenant, dispatchId)).toMatchObject({ ledgerOpen: true, redisCharge: 600, agree: false });

    expect(await reconciler.reconcile(tenant)).toBe(1);
    expect(await accounts(tenant, dispatchId)).toEqual({
      ledgerCharge: 600,
      ledgerOpen: false,
      redisCharge: 600,
      agree: true,
    });
    expect(await reconciler.reconcile(tenant)).toBe(0);
  });

  it('charges a finished dispatch whose job never came back for the tokens its artifact records, once, and announces its task', async () => {
    const { tenant, taskId, dispatchId } = await dispatchedTask();
    await finishRun(tenant, taskId, dispatchId, 1_500);
    await loseJob(tenant, dispatchId);

    expect(await reconciler.reconcile(tenant)).toBe(1);
    expect(await reconciler.reconcile(tenant)).toBe(0);
    expect(await accounts(tenant, dispatchId)).toEqual({
      ledgerCharge: 750,
      ledgerOpen: false,
      redisCharge: 750,
      agree: true,
    });
    expect(await store.read(tenant)).toMatchObject({ reserved: 0, spent: 750 });
    // Its job may have died before announcing the task done: announced once, by the pass that settled it.
    expect(announced.filter((entry) => entry.startsWith(`${tenant}/`))).toEqual([`${tenant}/${taskId}`]);
  });

  it('releases the dispatch of a task that moved on once its job has ended', async () => {
    const { tenant, taskId, dispatchId } = await dispatchedTask();
    await runs.startRun(tenant, taskId, dispatchId);
    await runs.failRun({ tenantId: tenant, taskId, dispatchId, reason: 'refused', tokensUsed: 0 });
    await loseJob(tenant, dispatchId);

    expect(await reconciler.reconcile(tenant)).toBe(1);
    expect(await accounts(tenant, dispatchId)).toEqual({
      ledgerCharge: 0,
      ledgerOpen: false,
      redisCharge: 0,
      agree: true,
    });
  });

  it('announces a failed task and the tasks its failure blocked when its job died before announcing them', async () => {
    const tenant = bed.newTenant();
    await budget.topUp(tenant, 100_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { key: 'a', description: 'Fails', owner: 'dev', tokensPlan: 2, businessValue: 5 },
        { key: 'b', description: 'Waits for a', owner: 'dev', tokensPlan: 2, businessValue: 5 },
      ],
      dependencies: [{ from: 'b', to: 'a' }],
    });
    const [a, b] = [created?.ids.a as string, created?.ids.b as string];
    expect((await dispatch.dispatchReady(tenant, 10)).dispatched).toHaveLength(1);
    await runs.startRun(tenant, a, `${a}.1`);
    await runs.failRun({ tenantId: tenant, taskId: a, dispatchId: `${a}.1`, reason: 'refused', tokensUsed: 0 });
    await loseJob(tenant, `${a}.1`);

    expect(await reconciler.reconcile(tenant)).toBe(1);
    expect(announced.filter((entry) => entry.startsWith(`${tenant}/`)).sort()).toEqual(
      [`${tenant}/${a}`, `${tenant}/${b}`].sort(),
    );
  });

  it('leaves alone a dispatch still queued or running, one whose job may still settle it, and a routing call', async () => {
    const queued = await dispatchedTask();
    const running = await dispatchedTask();
    await runs.startRun(running.tenant, running.taskId, running.dispatchId);
    // Moved on, but its job is still on the queue: the job releases it when it runs.
    const pending = await dispatchedTask();
    await runs.failRun({ ...pending, tenantId: pending.tenant, reason: 'by hand', tokensUsed: 0 });
    // A routing call's reservation: made again, and settled, by the next routing of its task.
    await budget.reserve(queued.tenant, `${queued.taskId}.route`, 250);

    for (const { tenant } of [queued, running, pending]) expect(await reconciler.reconcile(tenant)).toBe(0);
    for (const { tenant, dispatchId } of [queued, running, pending]) {
      expect(await accounts(tenant, dispatchId)).toMatchObject({ ledgerOpen: true, redisCharge: null, agree: true });
    }
    expect((await ledger.snapshot(queued.tenant)).reservations.has(`${queued.taskId}.route`)).toBe(true);
  });

  it('looks only at reservations older than its grace period and within its window', async () => {
    const { tenant, taskId, dispatchId } = await dispatchedTask();
    await finishRun(tenant, taskId, dispatchId, 1_000);
    await loseJob(tenant, dispatchId);
    const patient = new ReservationReconciler({ budget, runs, steps, queues, olderThanMs: 600_000 });
    // Nor older than its window: a pass reads only that much of the ledger.
    const forgetful = new ReservationReconciler({ budget, runs, steps, queues, olderThanMs: 0, withinMs: 1 });

    expect(await patient.reconcile(tenant)).toBe(0);
    expect(await forgetful.reconcile(tenant)).toBe(0);
    expect(await accounts(tenant, dispatchId)).toMatchObject({ ledgerOpen: true, redisCharge: null });
  });

  it("charges an agent step checkpointed before its job died for the step's tokens", async () => {
    const { tenant, taskId, dispatchId } = await dispatchedTask();
    await runs.startRun(tenant, taskId, dispatchId);
    const step = `${dispatchId}.step0`;
    await budget.reserve(tenant, step, 2_000);
    await steps.recordStep({
      tenantId: tenant,
      taskId,
      dispatchId,
      n: 0,
      kind: 'model',
      text: 'step',
      toolCalls: [],
      promptTokens: 300,
      completionTokens: 100,
      finishReason: 'tool_calls',
      provider: 'openai',
      model: 'test',
    });

    expect(await reconciler.reconcile(tenant)).toBe(1); // the step; its dispatch is still running
    expect(await accounts(tenant, step)).toEqual({
      ledgerCharge: 200,
      ledgerOpen: false,
      redisCharge: 200,
      agree: true,
    });
    expect(await accounts(tenant, dispatchId)).toMatchObject({ ledgerOpen: true });
  });

  it("settles one tenant's reservations only", async () => {
    const a = await dispatchedTask();
    const b = await dispatchedTask();
    for (const { tenant, taskId, dispatchId } of [a, b]) {
      await finishRun(tenant, taskId, dispatchId, 1_000);
      await loseJob(tenant, dispatchId);
    }

    expect(await reconciler.reconcile(a.tenant)).toBe(1);
    expect(await accounts(a.tenant, a.dispatchId)).toMatchObject({ ledgerCharge: 500, redisCharge: 500 });
    expect(await accounts(b.tenant, b.dispatchId)).toMatchObject({ ledgerOpen: true, redisCharge: null, agree: true });
  });
});
