import type { ChildProcess } from 'node:child_process';
import { type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, exited, type Harness, ledgerTotals, spawnEntry } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('stopping every process mid-run and starting them again', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  const children: ChildProcess[] = [];

  const spawnAll = () =>
    ['workers/src/main.ts', 'workers/src/orchestrator.main.ts'].map((entry) => {
      const child = spawnEntry(entry, {
        WORKER_TENANTS: h.tenant,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: llm.url,
        LLM_TIMEOUT_MS: '30000',
        ORCHESTRATOR_INTERVAL_MS: '300',
        ORCHESTRATOR_METRICS_PORT: '0',
      });
      children.push(child);
      return child;
    });

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    h = await createHarness();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await h.close();
    await llm.close();
  });

  it('continues the run: nothing lost, nothing run twice, every task paid once', async () => {
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({
      tasks: ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({
        key,
        description: `step ${key}`,
        owner: 'dev',
        tokensPlan: 3,
      })),
      dependencies: [
        { from: 'b', to: 'a' },
        { from: 'c', to: 'b' },
      ],
    });
    llm.enqueue({ kind: 'ok' }, { kind: 'ok' }, { kind: 'hold' }); // the third call hangs until the crash

    const first = spawnAll();
    await llm.waitForRequest(3);
    for (const child of first) child.kill('SIGKILL');
    await Promise.all(first.map(exited));
    llm.release(); // the held answer goes nowhere
    const doneBefore = (await h.tasks.graph(h.tenant)).nodes.filter((t) => t.status === 'done').length;
    expect(doneBefore).toBeLessThan(6);

    const second = spawnAll();
    await expect
      .poll(async () => (await h.tasks.graph(h.tenant)).nodes.filter((t) => t.status === 'done').length, {
        timeout: 45_000,
      })
      .toBe(6);

    const { records } = await h.bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})
       RETURN t.id AS id, t.dispatchCount AS dispatches, COUNT { (t)-[:PRODUCED]->(:Artifact) } AS artifacts,
              [(t)-[:PRODUCED]->(a:Artifact) | a.tokensUsed][0] AS used`,
      { tenant: h.tenant },
    );
    expect(records.map((r) => [r.get('dispatches'), r.get('artifacts')])).toEqual(Array(6).fill([1, 1]));
    const cost = records.reduce((sum, r) => sum + h.budget.costOfTokens(Math.round(Number(r.get('used')) * 1000)), 0);
    await expect.poll(async () => (await h.store.read(h.tenant))?.spent, { timeout: 10_000 }).toBe(cost);
    expect(await h.store.read(h.tenant)).toEqual({
      left: 1_000_000 - cost,
      reserved: 0,
      spent: cost,
      funded: 1_000_000,
    });
    expect((await ledgerTotals(h.bolt, h.tenant)).settle).toEqual({ total: cost, count: 6 });
    expect(Object.keys(ids)).toHaveLength(6);

    for (const child of second) child.kill('SIGTERM');
    await Promise.all(second.map(exited));
  });
});
