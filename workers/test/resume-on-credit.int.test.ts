import { loadConfig } from '@ai-org/core';
import { createHarness, type Harness, testEnv } from '@ai-org/testing/workers';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

describe('tasks waiting for budget resume on the credit, not on the next sweep', () => {
  let h: Harness;
  let orchestrator: Orchestrator | undefined;
  afterEach(async () => {
    await orchestrator?.stop();
    orchestrator = undefined;
    await h.close();
  });

  it('dispatches a waiting task as soon as a payment is credited, with the next sweep an hour away', async () => {
    h = await createHarness();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'needs money', owner: 'dev', tokensPlan: 4 }] });
    await h.budget.topUp(h.tenant, 100); // the budget exists, but cannot pay 2,000 for the task
    // One sweep at start, then only every hour: nothing but the credit's event can start the task.
    const config = loadConfig(
      testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_METRICS_PORT: '0', ORCHESTRATOR_INTERVAL_MS: '3600000' }),
    );
    orchestrator = buildOrchestrator(config, { llm: new OfflineProvider(), onTick: () => {} });
    await orchestrator.start();
    expect((await h.tasks.get(h.tenant, ids.a as string)).status).toBe('waiting_budget');

    await h.budget.credit(h.tenant, 'stripe:cs_resume', 50_000, 'evt_resume');
    await expect
      .poll(async () => (await h.tasks.get(h.tenant, ids.a as string)).status, {
        timeout: 10_000,
        interval: 50,
        message: 'the task left waiting_budget after the credit',
      })
      .toBe('queued');
  });

  it('is not woken by a budget change that adds nothing (a reservation or a charge)', async () => {
    h = await createHarness();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'needs money', owner: 'dev', tokensPlan: 4 }] });
    await h.budget.topUp(h.tenant, 100);
    const config = loadConfig(
      testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_METRICS_PORT: '0', ORCHESTRATOR_INTERVAL_MS: '3600000' }),
    );
    const ticks: string[] = [];
    orchestrator = buildOrchestrator(config, { llm: new OfflineProvider(), onTick: (line) => ticks.push(line) });
    await orchestrator.start();
    const afterStart = ticks.length;
    // A reservation and its settlement publish budget events without `credited`.
    await h.budget.reserve(h.tenant, 'probe', 50);
    await h.budget.settle(h.tenant, 'probe', 50);
    // Then a credit: its tick is the next one, so the two events before it woke nothing.
    await h.budget.credit(h.tenant, 'stripe:cs_after', 50_000);
    await expect.poll(() => ticks.length, { timeout: 10_000, message: 'the credit woke a tick' }).toBe(afterStart + 1);
    await expect.poll(async () => (await h.tasks.get(h.tenant, ids.a as string)).status).toBe('queued');
  });
});
