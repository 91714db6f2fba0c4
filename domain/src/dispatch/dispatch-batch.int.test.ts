import type { AgentQueues } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBed } from '../test-bed';
import { DispatchService } from './dispatch.service';

/**
 * `dispatchReady` claims, reserves and publishes the tasks the budget pays for in batches: each task
 * still goes out once, holding its own cost, a refusal inside a batch is met where it stands, and a
 * batch that fails leaves every one of its tasks as it was.
 */
describe('dispatching ready tasks in batches', () => {
  const bed = createTestBed('dispatch-batch');
  const { driver, store, queues, runs, tasks, budget } = bed;

  /** A tenant funded with `microUsd` and `count` independent dev tasks of 2k planned tokens (1,000 µUSD each), value descending. */
  const tenantWithTasks = async (microUsd: number, count: number) => {
    const tenant = bed.newTenant();
    await budget.topUp(tenant, microUsd);
    const created = await tasks.createPlan(tenant, {
      tasks: Array.from({ length: count }, (_, i) => ({
        key: `t${i}`,
        description: `Batch task ${i}`,
        owner: 'dev',
        tokensPlan: 2,
        businessValue: 1_000 - i,
      })),
    });
    const ids = Array.from({ length: count }, (_, i) => created?.ids[`t${i}`] as string);
    return { tenant, ids };
  };
  const statuses = async (tenant: string) => {
    const { records } = await driver.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.id AS id, t.status AS status, t.dispatchCount AS count',
      { tenant },
    );
    return new Map(
      records.map((r) => [r.get('id') as string, { status: r.get('status'), count: Number(r.get('count') ?? 0) }]),
    );
  };

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('dispatches more ready tasks than one batch holds, each once, with its own job and reservation', async () => {
    const { tenant, ids } = await tenantWithTasks(1_000_000, 120);
    const summary = await new DispatchService(runs, budget, queues).dispatchReady(tenant, 1_000);

    expect(summary.skipped).toEqual([]);
    expect(summary.dispatched.map((d) => d.taskId).sort()).toEqual([...ids].sort());
    for (const [, task] of await statuses(tenant)) expect(task).toEqual({ status: 'queued', count: 1 });
    expect(await queues.queue(tenant, 'dev').getJobCounts('waiting')).toEqual({ waiting: 120 });
    expect(await store.read(tenant)).toEqual({ left: 880_000, reserved: 120_000, spent: 0, funded: 1_000_000 });
    const { records } = await driver.executeQuery(
      `MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'reserve'}) RETURN count(e) AS entries, sum(e.amountMicroUsd) AS total`,
      { tenant },
    );
    expect(Number(records[0]?.get('entries'))).toBe(120);
    expect(Number(records[0]?.get('total'))).toBe(120_000);
  });

  it('meets a refusal inside a batch where it stands: that task and every task below it wait, holding nothing', async () => {
    const { tenant, ids } = await tenantWithTasks(100_000, 10);
    // The balance pays for all ten; the monthly cap only for three, so the fourth reservation is refused.
    await store.setMonthlyCap(tenant, 3_000);
    const summary = await new DispatchService(runs, budget, queues).dispatchReady(tenant, 1_000);

    expect(summary.dispatched.map((d) => d.taskId)).toEqual(ids.slice(0, 3));
    const after = await statuses(tenant);
    for (const id of ids.slice(3)) expect(after.get(id)?.status).toBe('waiting_budget');
    expect(summary.skipped[0]).toMatchObject({ taskId: ids[3], code: 'BUDGET_EXCEEDED' });
    expect(summary.skipped[0]?.reason).toContain('monthly spend cap');
    expect(summary.skipped.slice(1).map((s) => s.taskId)).toEqual(ids.slice(4));
    for (const { reason } of summary.skipped.slice(1)) expect(reason).toContain(`${ids[3]} ranks higher`);
    expect(await store.read(tenant)).toEqual({ left: 97_000, reserved: 3_000, spent: 0, funded: 100_000 });
    expect(await queues.queue(tenant, 'dev').getJobCounts('waiting')).toEqual({ waiting: 3 });
  });

  it('puts every task of a batch back as it was, holding nothing, when publishing fails', async () => {
    const { tenant, ids } = await tenantWithTasks(100_000, 5);
    const failingQueues = Object.assign(Object.create(queues) as AgentQueues, {
      publishMany: async (jobs: readonly unknown[]) =>
        jobs.map(() => ({ status: 'rejected' as const, reason: new Error('Connection is closed.') })),
    });
    await expect(new DispatchService(runs, budget, failingQueues).dispatchReady(tenant, 1_000)).rejects.toThrow(
      'Connection is closed',
    );
    for (const id of ids) expect((await statuses(tenant)).get(id)?.status).toBe('todo');
    expect(await store.read(tenant)).toEqual({ left: 100_000, reserved: 0, spent: 0, funded: 100_000 });
    // Nothing was lost: the next admission dispatches them all.
    const summary = await new DispatchService(runs, budget, queues).dispatchReady(tenant, 1_000);
    expect(summary.dispatched).toHaveLength(5);
  });

  it('gives back the reservations of the tasks it put back, not of one a worker started from a job added despite the failure', async () => {
    const { tenant, ids } = await tenantWithTasks(100_000, 3);
    const started = ids[0] as string;
    // Redis added the jobs and answered too late; a worker took the first one before the dispatcher heard.
    const lateQueues = Object.assign(Object.create(queues) as AgentQueues, {
      publishMany: async (jobs: Parameters<AgentQueues['publishMany']>[0]) => {
        await queues.publishMany(jobs);
        await runs.startRun(tenant, started, `${started}.1`);
        return jobs.map(() => ({ status: 'rejected' as const, reason: new Error('Command timed out') }));
      },
    });
    await expect(new DispatchService(runs, budget, lateQueues).dispatchReady(tenant, 1_000)).rejects.toThrow(
      'Command timed out',
    );
    const after = await statuses(tenant);
    expect(ids.map((id) => after.get(id)?.status)).toEqual(['doing', 'todo', 'todo']);
    // The started task's job holds its reservation and settles it; the others hold nothing.
    expect(await store.read(tenant)).toEqual({ left: 99_000, reserved: 1_000, spent: 0, funded: 100_000 });
  });

  it('lets two dispatchers racing over the same ready tasks dispatch each task once', async () => {
    const { tenant, ids } = await tenantWithTasks(1_000_000, 80);
    const [first, second] = await Promise.all([
      new DispatchService(runs, budget, queues).dispatchReady(tenant, 1_000),
      new DispatchService(runs, budget, queues).dispatchReady(tenant, 1_000),
    ]);
    const dispatched = [...(first?.dispatched ?? []), ...(second?.dispatched ?? [])].map((d) => d.taskId);
    expect(dispatched.sort()).toEqual([...ids].sort());
    for (const [, task] of await statuses(tenant)) expect(task).toEqual({ status: 'queued', count: 1 });
    expect(await store.read(tenant)).toEqual({ left: 920_000, reserved: 80_000, spent: 0, funded: 1_000_000 });
    expect(await queues.queue(tenant, 'dev').getJobCounts('waiting')).toEqual({ waiting: 80 });
  });
});
