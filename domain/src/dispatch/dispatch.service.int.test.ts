import type { AgentQueues, TenantEventSink } from '@ai-org/core';
import type { LedgerRepository, TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetService } from '../budget/budget.service';
import { createTestBed, testBudgetPolicy } from '../test-bed';
import { DispatchService } from './dispatch.service';

/**
 * A dispatch that fails after its claim (any step: the reservation, its ledger entry or announcement,
 * marking the task waiting for budget, publishing the job) puts the task back as it was and gives back
 * what it reserved; one that fails only in announcing a published job has dispatched.
 */
describe('a dispatch failing after its claim', () => {
  const bed = createTestBed('dispatch-failures');
  const { store, queues, runs, ledger, tasks, budget } = bed;
  const failure = () => new Error('Connection acquisition timed out in 5000 milliseconds.');

  /** A tenant funded with `microUsd` and one ready dev task of 2k planned tokens (1,000 µUSD). */
  const tenantWithTask = async (microUsd: number) => {
    const tenant = bed.newTenant();
    if (microUsd > 0) await budget.topUp(tenant, microUsd);
    const created = await tasks.createPlan(tenant, {
      tasks: [{ key: 'only', description: 'Fail around me', owner: 'dev', tokensPlan: 2 }],
    });
    return { tenant, taskId: created?.ids.only as string };
  };
  const statusOf = async (tenant: string, taskId: string) => (await tasks.get(tenant, taskId)).status;
  const jobOf = (tenant: string, dispatchId: string) => queues.queue(tenant, 'dev').getJob(dispatchId);

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('puts the task back and holds nothing when publishing the job fails', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const failingQueues = Object.assign(Object.create(queues) as AgentQueues, {
      publish: async () => {
        throw failure();
      },
    });
    const dispatch = new DispatchService(runs, budget, failingQueues);
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toThrow('Connection acquisition timed out');
    expect(await statusOf(tenant, taskId)).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 10_000, reserved: 0, spent: 0, funded: 10_000 });
    expect(await jobOf(tenant, `${taskId}.1`)).toBeUndefined();
    // Nothing was lost: the next dispatch goes through.
    expect(await new DispatchService(runs, budget, queues).dispatch(tenant, taskId)).toMatchObject({ taskId });
  });

  it('leaves the reservation to the job when publishing reports a failure after the job was added and a worker stored its artifact', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const dispatchId = `${taskId}.1`;
    // Redis added the job and answered too late; a worker took it at once and stored its artifact
    // (1,000 tokens: 500 µUSD) before the dispatcher heard of the failure, and has yet to settle.
    const lateQueues = Object.assign(Object.create(queues) as AgentQueues, {
      publish: async (job: Parameters<AgentQueues['publish']>[0]) => {
        await queues.publish(job);
        await runs.startRun(tenant, taskId, dispatchId);
        await runs.completeRun({
          tenantId: tenant,
          taskId,
          dispatchId,
          tokensUsed: 1_000,
          artifact: { kind: 'dev-deliverable', content: 'done', provider: 'offline', model: 'offline', offline: true },
        });
        throw failure();
      },
    });
    await expect(new DispatchService(runs, budget, lateQueues).dispatch(tenant, taskId)).rejects.toThrow(
      'Connection acquisition timed out',
    );
    expect(await statusOf(tenant, taskId)).toBe('done');
    expect(await store.read(tenant)).toEqual({ left: 9_000, reserved: 1_000, spent: 0, funded: 10_000 });
    // The worker settles: charged once, for what it used.
    expect(await budget.settle(tenant, dispatchId, budget.costOfTokens(1_000))).toBe(500);
    expect(await store.read(tenant)).toEqual({ left: 9_500, reserved: 0, spent: 500, funded: 10_000 });
  });

  it('puts the task back and holds nothing when the reservation is made but its announcement fails', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const failingEvents: TenantEventSink = {
      publish: async () => {
        throw failure();
      },
    };
    const dispatch = new DispatchService(
      runs,
      new BudgetService(store, ledger, testBudgetPolicy, failingEvents),
      queues,
    );
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toThrow('Connection acquisition timed out');
    expect(await statusOf(tenant, taskId)).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 10_000, reserved: 0, spent: 0, funded: 10_000 });
    expect(await jobOf(tenant, `${taskId}.1`)).toBeUndefined();
  });

  it('puts the task back and holds nothing when the reservation cannot be recorded in the ledger', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const failingLedger = Object.assign(Object.create(ledger) as LedgerRepository, {
      record: async (...args: Parameters<LedgerRepository['record']>) => {
        if (args[1].kind === 'reserve') throw failure();
        return ledger.record(...args);
      },
    });
    const dispatch = new DispatchService(runs, new BudgetService(store, failingLedger, testBudgetPolicy), queues);
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toThrow('Connection acquisition timed out');
    expect(await statusOf(tenant, taskId)).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 10_000, reserved: 0, spent: 0, funded: 10_000 });
  });

  it('puts the task back when Redis fails the reservation', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const failingBudget = Object.assign(Object.create(budget) as BudgetService, {
      reserve: async () => {
        throw new Error('Connection is closed.');
      },
    });
    const dispatch = new DispatchService(runs, failingBudget, queues);
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toThrow('Connection is closed');
    expect(await statusOf(tenant, taskId)).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 10_000, reserved: 0, spent: 0, funded: 10_000 });
  });

  it('puts the task back as it was when a refused task cannot be marked waiting for budget', async () => {
    const { tenant, taskId } = await tenantWithTask(500);
    const failingRuns = Object.assign(Object.create(runs) as TaskRunRepository, {
      markWaitingBudget: async () => {
        throw failure();
      },
    });
    const dispatch = new DispatchService(failingRuns, budget, queues);
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toThrow('Connection acquisition timed out');
    expect(await statusOf(tenant, taskId)).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 500, reserved: 0, spent: 0, funded: 500 });
  });

  it('still refuses with BUDGET_EXCEEDED, the task waiting, when only announcing the wait fails', async () => {
    const { tenant, taskId } = await tenantWithTask(500);
    const announcer = {
      announce: async () => {
        throw failure();
      },
    };
    const dispatch = new DispatchService(runs, budget, queues, announcer);
    await expect(dispatch.dispatch(tenant, taskId)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(await statusOf(tenant, taskId)).toBe('waiting_budget');
  });

  it('has dispatched when only announcing the published job fails: the job keeps its claim and reservation', async () => {
    const { tenant, taskId } = await tenantWithTask(10_000);
    const announcer = {
      announce: async () => {
        throw failure();
      },
    };
    const dispatch = new DispatchService(runs, budget, queues, announcer);
    expect(await dispatch.dispatch(tenant, taskId)).toMatchObject({ taskId, dispatchId: `${taskId}.1` });
    expect(await statusOf(tenant, taskId)).toBe('queued');
    expect(await store.read(tenant)).toEqual({ left: 9_000, reserved: 1_000, spent: 0, funded: 10_000 });
    expect(await jobOf(tenant, `${taskId}.1`)).toBeDefined();
  });
});
