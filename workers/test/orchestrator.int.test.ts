import { type Config, loadConfig } from '@ai-org/core';
import { GoalRepository } from '@ai-org/schema';
import { type FakeBehaviour, type FakeChatRequest, type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals, testEnv } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Workers } from '../src/app';
import { OpenAiProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

const goodPlan = {
  tasks: [
    {
      key: 'design',
      description: 'Design the CLI interface and flags',
      role: 'ux_ui',
      businessValue: 6,
      tokensPlan: 3,
      purposeRelevance: 0.8,
    },
    {
      key: 'parse',
      description: 'Parse CSV input with quoting',
      role: 'dev',
      businessValue: 8,
      tokensPlan: 4,
      purposeRelevance: 1,
    },
    {
      key: 'convert',
      description: 'Convert rows to JSON objects',
      role: 'dev',
      businessValue: 9,
      tokensPlan: 4,
      purposeRelevance: 1,
    },
    {
      key: 'test',
      description: 'Write end-to-end tests of the conversion',
      role: 'qa',
      businessValue: 7,
      tokensPlan: 3,
      purposeRelevance: 0.9,
    },
    {
      key: 'metrics',
      description: 'Count converted rows and errors',
      role: 'telemetry',
      businessValue: 3,
      tokensPlan: 2,
      purposeRelevance: 0.4,
    },
  ],
  dependencies: [
    { from: 'parse', to: 'design' },
    { from: 'convert', to: 'parse' },
    { from: 'test', to: 'convert' },
    { from: 'metrics', to: 'convert' },
  ],
};

const systemOf = (request: FakeChatRequest) => request.messages?.find((m) => m.role === 'system')?.content ?? '';
const userOf = (request: FakeChatRequest) => request.messages?.findLast((m) => m.role === 'user')?.content ?? '';

/** Answers the planning calls by what they are; agent calls fall through to the default answer. */
const planningResponder =
  (planner: (request: FakeChatRequest) => FakeBehaviour) =>
  (request: FakeChatRequest): FakeBehaviour | undefined => {
    const system = systemOf(request);
    if (system.includes('(architect)'))
      return { kind: 'ok', text: 'A CLI with a CSV parser, a converter and a writer.' };
    if (system.includes('(planner)')) return planner(request);
    if (system.includes('(router)')) {
      const task = userOf(request).split('\n')[0] ?? '';
      const role = /test/i.test(task)
        ? 'qa'
        : /metric|count/i.test(task)
          ? 'telemetry'
          : /design/i.test(task)
            ? 'ux_ui'
            : 'dev';
      return { kind: 'ok', text: role };
    }
    return undefined;
  };

describe('the orchestrator with the test LLM server', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  let config: Config;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(() => llm.close());
  afterEach(async () => {
    for (const process of running.splice(0)) await process.stop();
    llm.setResponder(undefined);
    await h.close();
  });

  const provider = () =>
    new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 2_000 });
  const start = async (options: { workers: boolean }) => {
    h = await createHarness();
    config = loadConfig(
      testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_INTERVAL_MS: '300', ORCHESTRATOR_METRICS_PORT: '0' }),
    );
    const lines: string[] = [];
    const orchestrator: Orchestrator = buildOrchestrator(config, {
      llm: provider(),
      onTick: (line) => lines.push(line),
    });
    if (options.workers) {
      const workers: Workers = await h.startWorkers(provider());
      running.push(workers);
    }
    return { orchestrator, lines, goals: new GoalRepository(h.bolt) };
  };

  it('turns a goal into a routed plan and works it off in dependency order, within budget', async () => {
    const { orchestrator, lines, goals } = await start({ workers: true });
    llm.setResponder(planningResponder(() => ({ kind: 'ok', text: `Here is the plan:\n${JSON.stringify(goodPlan)}` })));
    await h.budget.topUp(h.tenant, 1_000_000);
    const goal = await goals.create(h.tenant, 'a CLI that converts CSV to JSON');
    await orchestrator.start();
    running.push(orchestrator);

    await expect
      .poll(async () => (await h.tasks.graph(h.tenant)).nodes.filter((t) => t.status === 'done').length, {
        timeout: 30_000,
      })
      .toBe(goodPlan.tasks.length);
    expect(await goals.get(h.tenant, goal.id)).toMatchObject({ status: 'planned' });

    const { records } = await h.bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})
       RETURN t.description AS description, t.owner AS owner, t.routedBy AS routedBy, t.tokensActual AS tokens,
              t.startedAt AS startedAt, t.finishedAt AS finishedAt, t.dispatchCount AS dispatches,
              [(t)-[:DEPENDS_ON]->(d) | d.finishedAt] AS dependenciesFinished`,
      { tenant: h.tenant },
    );
    for (const r of records) {
      const planned = goodPlan.tasks.find((task) => task.description === r.get('description'));
      expect([r.get('owner'), r.get('routedBy'), r.get('dispatches')]).toEqual([planned?.role, 'llm', 1]);
      expect(r.get('tokens')).toBeGreaterThan(0);
      // No task started before every task it depends on had finished.
      for (const finished of r.get('dependenciesFinished')) {
        expect(new Date(r.get('startedAt').toString()).getTime()).toBeGreaterThanOrEqual(
          new Date(finished.toString()).getTime(),
        );
      }
    }

    await expect.poll(async () => (await h.store.read(h.tenant))?.reserved).toBe(0);
    const balance = await h.store.read(h.tenant);
    const ledger = await ledgerTotals(h.bolt, h.tenant);
    // Each task: its dispatch's admission reservation given back (0), and its one model step paid (the
    // test server answers without tool calls: the agent is done after one step); plus the planning.
    expect(ledger.settle).toEqual({ total: balance?.spent, count: goodPlan.tasks.length * 2 + 1 });
    expect((balance?.left ?? 0) + (balance?.spent ?? 0)).toBe(1_000_000);

    // A tick woken by an earlier task's event may still be running (tick() then answers with it): ask again.
    await expect
      .poll(() => orchestrator.tick(h.tenant), { timeout: 10_000, message: 'a tick that saw every task done' })
      .toMatchObject({ done: 5, total: 5, ready: 0, running: 0, criticalPathTasks: 0, progress: 1 });
    expect(lines.some((line) => line.startsWith(`[tick] ${h.tenant} | budget left`))).toBe(true);
  });

  it("links every planned task to its goal, whose architect's outline is stored, for the agents' context", async () => {
    const { orchestrator, goals } = await start({ workers: false });
    llm.setResponder(planningResponder(() => ({ kind: 'ok', text: JSON.stringify(goodPlan) })));
    await h.budget.topUp(h.tenant, 1_000_000);
    const goal = await goals.create(h.tenant, 'a CLI that converts CSV to JSON');
    const report = await orchestrator.tick(h.tenant);
    expect(report.planning).toMatchObject({ outcome: 'planned', goalId: goal.id });
    const { records } = await h.bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})
       OPTIONAL MATCH (g:Goal {tenantId: $tenant, id: t.goalId})
       RETURN t.goalId AS goalId, g.architecture AS architecture`,
      { tenant: h.tenant },
    );
    expect(records).toHaveLength(goodPlan.tasks.length);
    for (const r of records) {
      expect([r.get('goalId'), r.get('architecture')]).toEqual([
        goal.id,
        'A CLI with a CSV parser, a converter and a writer.',
      ]);
    }
    await orchestrator.stop();
  });

  it.each([
    ['not JSON', 'I would start with the parser.', /not JSON/],
    [
      'a cycle',
      JSON.stringify({ ...goodPlan, dependencies: [...goodPlan.dependencies, { from: 'design', to: 'test' }] }),
      /cycle/,
    ],
    [
      'an unknown role',
      JSON.stringify({ ...goodPlan, tasks: goodPlan.tasks.map((t, i) => (i === 0 ? { ...t, role: 'poet' } : t)) }),
      /role/,
    ],
    [
      'a negative value',
      JSON.stringify({ ...goodPlan, tasks: goodPlan.tasks.map((t, i) => (i === 1 ? { ...t, businessValue: -3 } : t)) }),
      /businessValue/,
    ],
  ])(
    'fails the goal with a clear reason and writes nothing when the plan is %s, even after a repair',
    async (_name, answer, reason) => {
      const { orchestrator, goals } = await start({ workers: false });
      llm.setResponder(planningResponder(() => ({ kind: 'ok', text: answer })));
      await h.budget.topUp(h.tenant, 1_000_000);
      const goal = await goals.create(h.tenant, 'a CLI that converts CSV to JSON');
      const report = await orchestrator.tick(h.tenant);
      expect(report.planning).toMatchObject({ outcome: 'failed' });
      const failed = await goals.get(h.tenant, goal.id);
      expect(failed?.status).toBe('failed');
      expect(failed?.statusReason).toMatch(reason);
      expect((await h.tasks.graph(h.tenant)).nodes).toHaveLength(0);
      await orchestrator.stop();
    },
  );

  it('starts tasks waiting for budget once the budget is topped up', async () => {
    const { orchestrator } = await start({ workers: true });
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Waits for money', owner: 'dev', tokensPlan: 4 }] });
    const first = await orchestrator.tick(h.tenant);
    expect(first.waitingForBudget).toBe(1);
    await h.budget.topUp(h.tenant, 100_000);
    await orchestrator.tick(h.tenant);
    await h.waitForStatus(ids.a as string, 'done');
    await orchestrator.stop();
  });
});
