import type { DispatchOutcome } from '@ai-org/core';
import { TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBed } from '../test-bed';
import { DispatchService } from './dispatch.service';

/** The dispatch-duration histogram's source: every dispatch tells its observer how it ended. */
describe('the dispatch observer', () => {
  const bed = createTestBed('dispatch-observer');
  const { driver, queues, tasks, budget } = bed;
  const tenant = bed.newTenant();

  beforeAll(bed.connect);
  afterAll(bed.close);

  it('is told each dispatch’s outcome (dispatched, refused by the budget, failed) and its duration', async () => {
    // 1,000 µUSD pays for one of the two tasks (2k planned tokens each at 500 µUSD per 1k).
    await budget.topUp(tenant, 1_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { key: 'paid', description: 'The one the budget pays for', owner: 'dev', tokensPlan: 2 },
        { key: 'unpaid', description: 'The one it cannot pay for', owner: 'dev', tokensPlan: 2 },
      ],
    });
    const paid = created?.ids.paid as string;
    const unpaid = created?.ids.unpaid as string;
    const seen: { outcome: DispatchOutcome; seconds: number }[] = [];
    const dispatch = new DispatchService(new TaskRunRepository(driver), budget, queues, undefined, (outcome, seconds) =>
      seen.push({ outcome, seconds }),
    );

    await dispatch.dispatch(tenant, paid);
    await expect(dispatch.dispatch(tenant, unpaid)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    // Queued already: a conflict, not a refusal by the budget.
    await expect(dispatch.dispatch(tenant, paid)).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(seen.map((s) => s.outcome)).toEqual(['dispatched', 'refused', 'failed']);
    for (const { seconds } of seen) expect(seconds).toBeGreaterThan(0);
  });
});
