import { GoalRepository } from '@ai-org/schema';
import { type LiveEvent, subscribe, warmUp } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const jwtSecret = 'spend-approval-test-secret-of-at-least-32-chars';
const setSpendApproval = 'mutation($usd: Float) { setSpendApproval(thresholdUsd: $usd) { thresholdUsd } }';
const readApproval = 'query($g: ID!) { planApproval(goalId: $g) { goalId state planHash plannedCostUsd taskCount } }';
const approvePlan =
  'mutation($g: ID!, $h: String!) { approvePlan(goalId: $g, planHash: $h) { state approvedBy approvedAt approvedHash } }';
const rejectPlan = 'mutation($g: ID!) { rejectPlan(goalId: $g) { state rejectedBy } }';
const dispatchTask = 'mutation($id: ID!) { dispatchTask(id: $id) { jobId } }';

type Approval = { goalId: string; state: string; planHash: string; plannedCostUsd: number; taskCount: number };

/**
 * Spend approval through the API in token mode: who may set the threshold and decide on a plan, the
 * input limits, manual dispatch of a held plan, hash-bound approval, live `plan` events, and tenant B
 * against A's goal. Plans are written as the goal planner writes them (gate, tasks with their goal, planned).
 */
describe('spend approval through the API', () => {
  let t: TestApp;
  const tenantA = uniqueTenant('spend-a');
  const tenantB = uniqueTenant('spend-b');
  const keys: Record<string, string> = {};
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const as = <T = Record<string, unknown>>(key: string, query: string, variables?: Record<string, unknown>) =>
    t.gql<T>(query, variables, null, bearer(keys[key] as string));

  /** A goal of A's planned at 16k tokens (design ← build), its tasks held when the threshold says so. */
  const plannedGoal = async (): Promise<{ goalId: string; design: string; build: string }> => {
    const { goals, planApprovals, tasks } = t.app.services;
    const goal = await goals.create(tenantA, `goal ${Math.random()}`);
    await planApprovals.gate(tenantA, goal.id, 16);
    const created = await tasks.createPlan(
      tenantA,
      {
        tasks: [
          { key: 'design', description: 'Design it', owner: 'ux_ui', tokensPlan: 6 },
          { key: 'build', description: 'Build it', owner: 'dev', tokensPlan: 10 },
        ],
        dependencies: [{ from: 'build', to: 'design' }],
      },
      { goalId: goal.id },
    );
    await new GoalRepository(t.bolt).markPlanned(goal.id, { plannedBy: 'offline', architecture: '-', taskCount: 2 });
    return { goalId: goal.id, design: created?.ids.design as string, build: created?.ids.build as string };
  };
  const approvalOf = async (goalId: string): Promise<Approval> =>
    (await as<{ planApproval: Approval }>('viewerA', readApproval, { g: goalId })).data?.planApproval as Approval;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'token', JWT_SECRET: jwtSecret, BUDGET_MIN_LEFT_USD: '0' });
    const { tenants } = t.app.services;
    keys.ownerA = (await tenants.createWithOwnerKey(tenantA)).secret;
    keys.ownerB = (await tenants.createWithOwnerKey(tenantB)).secret;
    for (const role of ['member', 'viewer'] as const) {
      const created = await as<{ createApiKey: { secret: string } }>(
        'ownerA',
        'mutation($name: String!, $role: TenantRole!) { createApiKey(name: $name, role: $role) { secret } }',
        { name: `${role} key`, role },
      );
      keys[`${role}A`] = created.data?.createApiKey.secret as string;
    }
    await t.app.services.budget.topUp(tenantA, 100_000_000);
    expect((await as('ownerA', setSpendApproval, { usd: 0.001 })).errors).toBeUndefined();
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenantA, tenantB);
    await t.stop();
  });

  it('lets owners set the threshold within 0..1,000,000 USD or null; members and viewers may not', async () => {
    for (const key of ['memberA', 'viewerA']) {
      expect(codesOf(await as(key, setSpendApproval, { usd: 5 }))).toEqual(['FORBIDDEN']);
    }
    for (const usd of [-0.01, 1_000_000.01]) {
      expect(codesOf(await as('ownerB', setSpendApproval, { usd }))).toEqual(['BAD_USER_INPUT']);
    }
    expect((await as('ownerB', setSpendApproval, { usd: 1_000_000 })).data).toEqual({
      setSpendApproval: { thresholdUsd: 1_000_000 },
    });
    expect((await as('ownerB', setSpendApproval, { usd: null })).data).toEqual({
      setSpendApproval: { thresholdUsd: null },
    });
    expect((await as('viewerA', '{ spendApproval { thresholdUsd } }')).data).toEqual({
      spendApproval: { thresholdUsd: 0.001 },
    });
  });

  it('holds a plan above the threshold from manual dispatch with a CONFLICT that says why', async () => {
    const { goalId, design } = await plannedGoal();
    const approval = await approvalOf(goalId);
    expect(approval).toMatchObject({ state: 'awaiting_approval', taskCount: 2 });
    expect(approval.plannedCostUsd).toBeGreaterThan(0.001);

    const refused = await as('memberA', dispatchTask, { id: design });
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toContain("waits for an owner's approval");
    const ready = await as<{ dispatchReadyTasks: { dispatched: unknown[] } }>(
      'memberA',
      'mutation { dispatchReadyTasks { dispatched { taskId } } }',
    );
    expect(ready.data?.dispatchReadyTasks.dispatched).toEqual([]);
    expect((await t.app.services.budget.read(tenantA)).reserved).toBe(0);
  });

  it('approves only the plan whose hash the owner saw, records who and when, and tells live clients', async () => {
    const { goalId, design } = await plannedGoal();
    const sub = subscribe(`${t.url.replace('http', 'ws')}/graphql`, bearer(keys.viewerA as string));
    await warmUp([sub], () => t.app.services.budget.topUp(tenantA, 1));
    const { planHash } = await approvalOf(goalId);

    for (const key of ['memberA', 'viewerA']) {
      expect(codesOf(await as(key, approvePlan, { g: goalId, h: planHash }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await as(key, rejectPlan, { g: goalId }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await as('ownerA', approvePlan, { g: goalId, h: 'abc' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await as('ownerA', approvePlan, { g: 'no', h: planHash }))).toEqual(['BAD_USER_INPUT']);
    const stale = await as('ownerA', approvePlan, { g: goalId, h: 'e'.repeat(64) });
    expect(codesOf(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.message).toContain('the plan changed since you saw it');

    const approved = await as<{ approvePlan: Record<string, unknown> }>('ownerA', approvePlan, {
      g: goalId,
      h: planHash,
    });
    expect(approved.data?.approvePlan).toMatchObject({ state: 'approved', approvedHash: planHash });
    expect(approved.data?.approvePlan.approvedBy).toEqual(expect.any(String));
    expect(approved.data?.approvePlan.approvedAt).toEqual(expect.any(String));
    await sub.waitFor((events) => events.some((e: LiveEvent) => e.plan?.phase === 'approved'), 10_000);
    await sub.dispose();

    expect(codesOf(await as('memberA', dispatchTask, { id: design }))).toEqual([]);
  });

  it('rejects a plan: its tasks fail, nothing is dispatched or reserved', async () => {
    const { goalId, design, build } = await plannedGoal();
    const reservedBefore = (await t.app.services.budget.read(tenantA)).reserved;
    const rejected = await as<{ rejectPlan: { state: string } }>('ownerA', rejectPlan, { g: goalId });
    expect(rejected.data?.rejectPlan.state).toBe('rejected');
    for (const id of [design, build]) {
      expect(await t.app.services.tasks.get(tenantA, id)).toMatchObject({
        status: 'failed',
        statusReason: 'plan rejected',
      });
    }
    expect(codesOf(await as('memberA', dispatchTask, { id: design }))).toEqual(['CONFLICT']);
    expect((await t.app.services.budget.read(tenantA)).reserved).toBe(reservedBefore);
  });

  it("answers B about A's goal exactly as about a missing one, and changes nothing of A's", async () => {
    const { goalId } = await plannedGoal();
    const before = await approvalOf(goalId);
    const missing = 'zzzzzzzz';
    for (const [query, variables] of [
      [readApproval, (g: string) => ({ g })],
      [approvePlan, (g: string) => ({ g, h: before.planHash })],
      [rejectPlan, (g: string) => ({ g })],
    ] as const) {
      const foreign = await as('ownerB', query, variables(goalId));
      const none = await as('ownerB', query, variables(missing));
      if (query === readApproval) expect(foreign).toEqual({ data: { planApproval: null } });
      else expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(foreign).replaceAll(goalId, 'ID')).toBe(JSON.stringify(none).replaceAll(missing, 'ID'));
    }
    expect(await approvalOf(goalId)).toEqual(before);
  });
});
