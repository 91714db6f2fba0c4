import { describe, expect, it, vi } from 'vitest';
import { GoalPlanner, type GoalPlannerDeps } from './goal-planner';

type Outlook = { claimable: boolean; pending: boolean; approvedPlans: boolean };

/** A planner over fakes whose goals answer the given outlook and find nothing to claim. */
const plannerWith = (outlook: Outlook) => {
  const fake = <T>(value: object) => value as unknown as T;
  const goals = {
    planningOutlook: vi.fn(async () => outlook),
    claimForPlanning: vi.fn(async () => null),
    openBacklog: vi.fn(async () => ({ byStatus: { todo: 1 }, people: {} })),
    noteWaiting: vi.fn(async () => []),
  };
  const approvals = { gate: vi.fn(), announceAwaiting: vi.fn(), noteChangedPlans: vi.fn(async () => []) };
  const deps: GoalPlannerDeps = {
    goals: fake(goals),
    tasks: fake({}),
    budget: fake({}),
    planner: fake({}),
    router: fake({}),
    planningTokens: 1_000,
    staleClaimMs: 60_000,
    events: { publish: async () => undefined },
    approvals,
  };
  return { planner: new GoalPlanner(deps), goals, approvals };
};

describe('planning in a tick', () => {
  it('writes no plan lock and no goal when a read shows nothing to plan or compare', async () => {
    const { planner, goals, approvals } = plannerWith({ claimable: false, pending: false, approvedPlans: false });
    expect(await planner.planNext('t1')).toEqual({ outcome: 'none' });
    expect(goals.planningOutlook).toHaveBeenCalledWith('t1', 60_000);
    expect(goals.claimForPlanning).not.toHaveBeenCalled();
    expect(approvals.noteChangedPlans).not.toHaveBeenCalled();
    expect(goals.openBacklog).not.toHaveBeenCalled();
  });

  it('claims under the plan lock when a read shows a goal it may take', async () => {
    const { planner, goals } = plannerWith({ claimable: true, pending: true, approvedPlans: false });
    await planner.planNext('t2');
    expect(goals.claimForPlanning).toHaveBeenCalledWith('t2', 60_000);
  });

  it('says why a pending goal waits when the backlog is not empty, without taking the lock', async () => {
    const { planner, goals } = plannerWith({ claimable: false, pending: true, approvedPlans: false });
    await planner.planNext('t3');
    expect(goals.claimForPlanning).not.toHaveBeenCalled();
    expect(goals.openBacklog).toHaveBeenCalledWith('t3');
  });

  it('compares approved plans with their tasks only when the tenant has approved plans', async () => {
    const { planner, approvals } = plannerWith({ claimable: false, pending: false, approvedPlans: true });
    await planner.planNext('t4');
    expect(approvals.noteChangedPlans).toHaveBeenCalledWith('t4');
  });
});
