import { AppError, type Config, loadConfig, noEvents } from '@ai-org/core';
import { PlanApprovalService } from '@ai-org/domain';
import { GoalRepository, PlanApprovalRepository, silentAnnouncer } from '@ai-org/schema';
import { type FakeBehaviour, type FakeChatRequest, type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, testEnv } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

/** design ← parse ← convert ← {test, metrics}: 16k planned tokens. */
const plan = {
  tasks: [
    { key: 'design', description: 'Design the CLI flags', role: 'ux_ui', businessValue: 6, tokensPlan: 3 },
    { key: 'parse', description: 'Parse CSV input', role: 'dev', businessValue: 8, tokensPlan: 4 },
    { key: 'convert', description: 'Convert rows to JSON', role: 'dev', businessValue: 9, tokensPlan: 4 },
    { key: 'test', description: 'Write end-to-end tests', role: 'qa', businessValue: 7, tokensPlan: 3 },
    { key: 'metrics', description: 'Count converted rows', role: 'telemetry', businessValue: 3, tokensPlan: 2 },
  ].map((task) => ({ ...task, purposeRelevance: 1 })),
  dependencies: [
    { from: 'parse', to: 'design' },
    { from: 'convert', to: 'parse' },
    { from: 'test', to: 'convert' },
    { from: 'metrics', to: 'convert' },
  ],
};

const systemOf = (request: FakeChatRequest) => request.messages?.find((m) => m.role === 'system')?.content ?? '';
const userOf = (request: FakeChatRequest) => request.messages?.findLast((m) => m.role === 'user')?.content ?? '';
const roleOf = (description: string) => plan.tasks.find((task) => description.includes(task.description))?.role;

/** The architect, planner and router answer; nothing else is called (no role workers run here). */
const responder = (request: FakeChatRequest): FakeBehaviour | undefined => {
  const system = systemOf(request);
  if (system.includes('(architect)')) return { kind: 'ok', text: 'A CLI: reader, converter, writer.' };
  if (system.includes('(planner)')) return { kind: 'ok', text: JSON.stringify(plan) };
  if (system.includes('(router)')) return { kind: 'ok', text: roleOf(userOf(request)) ?? 'dev' };
  return undefined;
};

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'no error';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};

describe('spend approval in the orchestrator (real Neo4j, Redis and BullMQ)', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  let orchestrator: Orchestrator;
  let approvals: PlanApprovalService;
  let goals: GoalRepository;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    llm.setResponder(responder);
  });
  afterAll(() => llm.close());
  afterEach(async () => {
    await orchestrator.stop();
    await h.close();
  });

  /** An orchestrator for a tenant of its own with `thresholdUsd`; it ticks only when the test says so. */
  const start = async (thresholdUsd: number | null) => {
    h = await createHarness();
    const config: Config = loadConfig(
      testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_INTERVAL_MS: '3600000', ORCHESTRATOR_METRICS_PORT: '0' }),
    );
    const provider = new OpenAiProvider({ baseURL: llm.url, apiKey: 'k', model: 'm', timeoutMs: 2_000 });
    orchestrator = buildOrchestrator(config, { llm: provider, onTick: () => undefined });
    approvals = new PlanApprovalService(new PlanApprovalRepository(h.bolt), h.budget, noEvents, silentAnnouncer);
    goals = new GoalRepository(h.bolt);
    await h.budget.topUp(h.tenant, 100_000_000);
    await approvals.setSetting(h.tenant, thresholdUsd);
    await orchestrator.start();
    const goal = await goals.create(h.tenant, 'a CLI that converts CSV to JSON');
    await tickAfterNow();
    const tasks = (await h.tasks.graph(h.tenant)).nodes;
    const id = (description: string) => tasks.find((task) => task.description === description)?.id as string;
    return { goalId: goal.id, ids: Object.fromEntries(plan.tasks.map((task) => [task.key, id(task.description)])) };
  };

  /**
   * A tick that started after everything the test did: a task event may have woken the orchestrator,
   * and `tick` then answers the tick already running; the second call's tick starts after it ended.
   */
  const tickAfterNow = async () => {
    await orchestrator.tick(h.tenant);
    await orchestrator.tick(h.tenant);
  };
  const statuses = async () =>
    Object.fromEntries((await h.tasks.graph(h.tenant)).nodes.map((task) => [task.description, task.status]));
  /** Reservations other than planning's own (`goal.<id>`): what dispatching a task would hold. */
  const taskReservations = async () => {
    const { records } = await h.bolt.executeQuery(
      "MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'reserve'}) WHERE NOT e.jobId STARTS WITH 'goal.' RETURN count(e) AS n",
      { tenant: h.tenant },
    );
    return Number(records[0]?.get('n'));
  };

  it('holds a plan above the threshold: ticks and manual dispatch run nothing and reserve nothing', async () => {
    const { goalId, ids } = await start(0.001);
    expect(await goals.get(h.tenant, goalId)).toMatchObject({ status: 'awaiting_approval' });
    const approval = await approvals.get(h.tenant, goalId);
    expect(approval).toMatchObject({ state: 'awaiting_approval', taskCount: 5 });
    expect(approval.plannedCostMicroUsd).toBe(h.budget.costOfTokens(16_000));
    expect(approval.planHash).toMatch(/^[0-9a-f]{64}$/);

    await tickAfterNow();
    expect(Object.values(await statuses())).toEqual(Array(5).fill('todo'));
    const manual = h.dispatch.dispatch(h.tenant, ids.design as string);
    await expect(manual).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('approval') });
    expect((await h.dispatch.dispatchReady(h.tenant, 100)).dispatched).toEqual([]);
    expect(await taskReservations()).toBe(0);
    expect((await h.budget.read(h.tenant)).reserved).toBe(0);
  });

  it('dispatches once approved with the current hash; a stale hash is a CONFLICT', async () => {
    const { goalId, ids } = await start(0);
    const { planHash } = await approvals.get(h.tenant, goalId);
    expect(await codeOf(approvals.approve(h.tenant, goalId, 'f'.repeat(64), 'owner-key'))).toBe('CONFLICT');
    expect((await approvals.get(h.tenant, goalId)).state).toBe('awaiting_approval');

    const approved = await approvals.approve(h.tenant, goalId, planHash, 'owner-key');
    expect(approved).toMatchObject({ state: 'approved', approvedHash: planHash, approvedBy: 'owner-key' });
    expect(approved.approvedAt).not.toBeNull();
    expect(await goals.get(h.tenant, goalId)).toMatchObject({ status: 'planned' });
    await tickAfterNow();
    expect((await h.tasks.get(h.tenant, ids.design)).status).toBe('queued');
    expect(await taskReservations()).toBe(1);
  });

  it('holds a changed plan again until it is approved again', async () => {
    const { goalId, ids } = await start(0);
    const first = await approvals.get(h.tenant, goalId);
    await approvals.approve(h.tenant, goalId, first.planHash, 'owner-key');
    await tickAfterNow();
    expect((await h.tasks.get(h.tenant, ids.design)).status).toBe('queued');

    // A new edge inside the plan, then every dependency of test and metrics done: they would be ready.
    await h.tasks.addDependency(h.tenant, { taskId: ids.metrics, dependsOnId: ids.parse });
    for (const key of ['design', 'parse', 'convert']) await h.tasks.setStatus(h.tenant, ids[key], 'done');
    const changed = await approvals.get(h.tenant, goalId);
    expect(changed.state).toBe('awaiting_approval');
    expect(changed.planHash).not.toBe(first.planHash);

    await tickAfterNow();
    expect(await goals.get(h.tenant, goalId)).toMatchObject({ status: 'awaiting_approval' });
    expect((await h.tasks.get(h.tenant, ids.test)).status).toBe('todo');
    expect((await h.tasks.get(h.tenant, ids.metrics)).status).toBe('todo');
    expect(await codeOf(h.dispatch.dispatch(h.tenant, ids.test as string))).toBe('CONFLICT');
    expect(await codeOf(approvals.approve(h.tenant, goalId, first.planHash, 'owner-key'))).toBe('CONFLICT');

    await approvals.approve(h.tenant, goalId, changed.planHash, 'owner-key');
    await tickAfterNow();
    expect((await h.tasks.get(h.tenant, ids.test)).status).toBe('queued');
    expect((await h.tasks.get(h.tenant, ids.metrics)).status).toBe('queued');
  });

  it('runs a plan under the threshold as before', async () => {
    const { goalId, ids } = await start(1_000);
    expect(await goals.get(h.tenant, goalId)).toMatchObject({ status: 'planned' });
    expect((await approvals.get(h.tenant, goalId)).state).toBe('not_required');
    await tickAfterNow();
    expect((await h.tasks.get(h.tenant, ids.design)).status).toBe('queued');
  });

  it('rejects a plan: its tasks fail, nothing is dispatched or charged', async () => {
    const { goalId, ids } = await start(0);
    const spentBefore = (await h.budget.read(h.tenant)).spent;
    const rejected = await approvals.reject(h.tenant, goalId, 'owner-key');
    expect(rejected).toMatchObject({ state: 'rejected', rejectedBy: 'owner-key' });
    expect(await goals.get(h.tenant, goalId)).toMatchObject({ status: 'rejected' });
    const tasks = (await h.tasks.graph(h.tenant)).nodes;
    expect(tasks.map((task) => [task.status, task.statusReason])).toEqual(Array(5).fill(['failed', 'plan rejected']));

    await tickAfterNow();
    expect(await codeOf(h.dispatch.dispatch(h.tenant, ids.design as string))).toBe('CONFLICT');
    expect(await codeOf(approvals.approve(h.tenant, goalId, rejected.planHash, 'owner-key'))).toBe('CONFLICT');
    expect(Object.values(await statuses())).toEqual(Array(5).fill('failed'));
    expect(await taskReservations()).toBe(0);
    expect((await h.budget.read(h.tenant)).spent).toBe(spentBefore);
  });
});
