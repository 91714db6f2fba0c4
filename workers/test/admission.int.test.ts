import { loadConfig } from '@ai-org/core';
import { createHarness, type Harness, testEnv } from '@ai-org/testing/workers';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

describe('admission by value and concurrent schedulers', () => {
  let h: Harness;
  const orchestrators: Orchestrator[] = [];
  afterEach(async () => {
    for (const orchestrator of orchestrators.splice(0)) await orchestrator.stop();
    await h.close();
  });

  it('spends a budget that covers only some ready tasks on the highest-ranked ones; the rest wait, visibly', async () => {
    h = await createHarness();
    // Every task costs the same (4k tokens = 2,000 micro-USD): rank = value × relevance.
    const ids = await h.plan({
      tasks: [
        { key: 'low', description: 'low value', owner: 'dev', businessValue: 1, purposeRelevance: 1, tokensPlan: 4 },
        { key: 'top', description: 'top value', owner: 'dev', businessValue: 9, purposeRelevance: 1, tokensPlan: 4 },
        { key: 'mid', description: 'mid value', owner: 'qa', businessValue: 5, purposeRelevance: 1, tokensPlan: 4 },
        { key: 'two', description: 'some value', owner: 'qa', businessValue: 2, purposeRelevance: 1, tokensPlan: 4 },
      ],
    });
    await h.budget.topUp(h.tenant, 4_500); // pays for two 2,000 tasks, not three
    const summary = await h.dispatch.dispatchReady(h.tenant, 10);
    expect(summary.dispatched.map((d) => d.taskId)).toEqual([ids.top, ids.mid]);
    for (const key of ['two', 'low'] as const) {
      const task = await h.tasks.get(h.tenant, ids[key]);
      expect(task.status).toBe('waiting_budget');
    }
  });

  it('ranks by value × relevance ÷ planned cost, so a cheap task of middling value goes first', async () => {
    h = await createHarness();
    const ids = await h.plan({
      tasks: [
        {
          key: 'big',
          description: 'valuable but expensive',
          owner: 'dev',
          businessValue: 10,
          purposeRelevance: 1,
          tokensPlan: 100,
        },
        {
          key: 'small',
          description: 'half the value, a tenth of the cost',
          owner: 'dev',
          businessValue: 5,
          purposeRelevance: 1,
          tokensPlan: 10,
        },
        {
          key: 'vague',
          description: 'valuable, barely relevant',
          owner: 'dev',
          businessValue: 10,
          purposeRelevance: 0.05,
          tokensPlan: 10,
        },
      ],
    });
    await h.budget.topUp(h.tenant, 6_000); // small (5,000) fits; then big (50,000) does not
    const summary = await h.dispatch.dispatchReady(h.tenant, 10);
    expect(summary.dispatched.map((d) => d.taskId)).toEqual([ids.small]);
    expect(summary.skipped.map((s) => s.taskId)).toEqual([ids.big, ids.vague]);
    expect((await h.tasks.get(h.tenant, ids.vague)).statusReason).toContain(`${ids.big} ranks higher`);
  });

  it('never dispatches a task twice when two schedulers tick the same tenant at once', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 10_000_000);
    const tasks = Array.from({ length: 40 }, (_, i) => ({
      key: `t${i}`,
      description: `task ${i}`,
      owner: 'dev',
      tokensPlan: 1,
    }));
    const ids = await h.plan({ tasks });
    const config = loadConfig(testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_METRICS_PORT: '0' }));
    for (let i = 0; i < 2; i += 1)
      orchestrators.push(buildOrchestrator(config, { llm: new OfflineProvider(), onTick: () => {} }));
    const [first, second] = orchestrators as [Orchestrator, Orchestrator];
    const reports = await Promise.all([first.tick(h.tenant), second.tick(h.tenant)]);
    expect(reports.reduce((sum, r) => sum + r.dispatched, 0)).toBe(40);

    const { records } = await h.bolt.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.dispatchCount AS n, t.status AS status',
      { tenant: h.tenant },
    );
    expect(records.map((r) => [r.get('n'), r.get('status')])).toEqual(Array(40).fill([1, 'queued']));
    expect(await h.queues.queue(h.tenant, 'dev').getJobCounts('waiting')).toEqual({ waiting: 40 });
    expect(Object.keys(ids)).toHaveLength(40);
  });
});
