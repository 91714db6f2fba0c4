import type { TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBed } from '../test-bed';
import { DispatchService } from './dispatch.service';

/**
 * A tenant whose budget cannot pay for its ready tasks is admitted again on every orchestrator tick: once
 * its tasks wait for budget, for the reason they were given, such a tick has nothing to write or announce.
 */
describe('admission of a budget-starved tenant', () => {
  const bed = createTestBed('starved');
  const { queues, runs, tasks, budget } = bed;

  /** Dispatch through a task-run repository that counts its writes, and an announcer that keeps what it was told. */
  const countingDispatch = () => {
    const writes: string[] = [];
    const counted = Object.create(runs) as TaskRunRepository;
    for (const method of ['claimForDispatch', 'markWaitingBudget', 'undoClaim'] as const) {
      const original = runs[method].bind(runs) as (...args: unknown[]) => Promise<unknown>;
      Object.assign(counted, {
        [method]: (...args: unknown[]) => {
          writes.push(method);
          return original(...args);
        },
      });
    }
    const announced: string[] = [];
    const announcer = {
      announce: async (_tenant: string, ids: readonly string[]) => {
        announced.push(...ids);
      },
    };
    return { dispatch: new DispatchService(counted, budget, queues, announcer), writes, announced };
  };

  /** A tenant funded with `microUsd` and three ready tasks of 2k planned tokens (1,000 µUSD each). */
  const starvedTenant = async (microUsd: number) => {
    const tenant = bed.newTenant();
    if (microUsd > 0) await budget.topUp(tenant, microUsd);
    const created = await tasks.createPlan(tenant, {
      tasks: ['a', 'b', 'c'].map((key, i) => ({
        key,
        description: `Ready task ${key}`,
        owner: 'dev',
        tokensPlan: 2,
        businessValue: 9 - i,
      })),
    });
    return { tenant, ids: Object.values(created?.ids ?? {}) };
  };
  const statesOf = (tenant: string, ids: readonly string[]) => Promise.all(ids.map((id) => tasks.get(tenant, id)));

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('writes and announces nothing once every ready task waits for budget for the same reason', async () => {
    const { tenant, ids } = await starvedTenant(500);
    const first = countingDispatch();
    await first.dispatch.dispatchReady(tenant, 10);
    expect(first.announced).toHaveLength(3);
    const waiting = await statesOf(tenant, ids);
    expect(waiting.map((task) => task.status)).toEqual(['waiting_budget', 'waiting_budget', 'waiting_budget']);

    const second = countingDispatch();
    const summary = await second.dispatch.dispatchReady(tenant, 10);

    expect(summary.dispatched).toEqual([]);
    expect(summary.skipped.map((skip) => skip.code)).toEqual(['BUDGET_EXCEEDED', 'BUDGET_EXCEEDED', 'BUDGET_EXCEEDED']);
    expect(second.writes).toEqual([]);
    expect(second.announced).toEqual([]);
    expect(await statesOf(tenant, ids)).toEqual(waiting);
  });

  it('marks and announces the waiting tasks again when the reason they wait for changed', async () => {
    const { tenant, ids } = await starvedTenant(500);
    await countingDispatch().dispatch.dispatchReady(tenant, 10);
    const [top] = await statesOf(tenant, ids);
    expect(top?.statusReason).toBe('needs 0.001 USD, 0.0005 USD left');

    await budget.topUp(tenant, 100); // still short of 1,000 µUSD, but the reason names the new balance
    const again = countingDispatch();
    await again.dispatch.dispatchReady(tenant, 10);

    expect((await statesOf(tenant, ids))[0]?.statusReason).toBe('needs 0.001 USD, 0.0006 USD left');
    expect(again.announced).toEqual([ids[0]]);
    expect(again.writes).toEqual(['markWaitingBudget']);
  });
});
