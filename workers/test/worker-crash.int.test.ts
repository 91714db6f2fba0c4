import type { ChildProcess } from 'node:child_process';
import { type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, exited, type Harness, ledgerTotals, spawnEntry } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm run workers`, as its own process, pointed at the test LLM server. */
const spawnWorkers = (tenant: string, llmUrl: string) =>
  spawnEntry('workers/src/main.ts', {
    WORKER_TENANTS: tenant,
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: llmUrl,
    LLM_MODEL: 'crash-test-model',
    LLM_TIMEOUT_MS: '30000',
  });

describe('a worker process killed mid-job', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    h = await createHarness();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await h.close();
    await llm.close();
  });

  it('leaves the task done exactly once and charged exactly once', async () => {
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Survive a crash', owner: 'dev', tokensPlan: 4 }] });
    const taskId = ids.a as string;

    const first = spawnWorkers(h.tenant, llm.url);
    children.push(first);
    llm.enqueue({ kind: 'hold' }); // the LLM "thinks" until the test releases it
    await h.dispatch.dispatch(h.tenant, taskId);
    await llm.waitForRequest(1);
    expect((await h.tasks.get(h.tenant, taskId)).status).toBe('doing');
    first.kill('SIGKILL');
    expect(await exited(first)).toEqual({ code: null, signal: 'SIGKILL' });
    llm.release(); // the held answer goes to a dead socket

    const second = spawnWorkers(h.tenant, llm.url);
    children.push(second);
    const done = await h.waitForStatus(taskId, 'done');

    const { records } = await h.bolt.executeQuery(
      'MATCH (:Task {id: $taskId})-[:PRODUCED]->(a:Artifact) RETURN a.tokensUsed AS used, a.model AS model',
      { taskId },
    );
    expect(records.map((r) => r.get('model'))).toEqual(['crash-test-model']);
    const tokens = Math.round(Number(records[0]?.get('used')) * 1000);
    expect(done.tokensActual).toBeCloseTo(tokens / 1000, 6);

    const cost = h.budget.costOfTokens(tokens);
    await expect.poll(async () => (await h.store.read(h.tenant))?.spent).toBe(cost);
    expect(await h.store.read(h.tenant)).toEqual({
      left: 1_000_000 - cost,
      reserved: 0,
      spent: cost,
      funded: 1_000_000,
    });
    expect((await ledgerTotals(h.bolt, h.tenant)).settle).toEqual({ total: cost, count: 1 });
    expect(llm.requests).toHaveLength(2); // the lost call was made again, and billed once

    second.kill('SIGTERM'); // graceful: stops taking jobs, closes connections, exits 0
    expect(await exited(second)).toEqual({ code: 0, signal: null });
  });
});
