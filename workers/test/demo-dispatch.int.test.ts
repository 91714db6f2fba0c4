import { demoPlan } from '@ai-org/domain';
import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LlmProvider, OfflineProvider, OpenAiProvider } from '../src/llm';

describe("dispatching the demo tenant's ready tasks", () => {
  let h: Harness;
  let llm: FakeLlmServer;
  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(() => llm.close());
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const providers: [string, () => LlmProvider, boolean, RegExp][] = [
    [
      'the offline provider',
      () => new OfflineProvider(),
      true,
      /^\[offline provider: generated without a language model\]/,
    ],
    [
      'the openai client and the test LLM server',
      () => new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 2_000 }),
      false,
      new RegExp(`^${fakeAnswer}$`),
    ],
  ];

  it.each(providers)(
    'runs them to done on %s, with artifacts, tokens and a balanced ledger',
    async (_name, provider, offline, content) => {
      await h.budget.topUp(h.tenant, 10_000_000);
      await h.plan(demoPlan);
      await h.startWorkers(provider());

      // Dispatch what is ready, wait for it, repeat: each round unlocks the next layer of the DAG.
      const ran: string[] = [];
      for (;;) {
        const { dispatched } = await h.dispatch.dispatchReady(h.tenant, 100);
        if (dispatched.length === 0) break;
        for (const { taskId } of dispatched) await h.waitForStatus(taskId, 'done', 'failed');
        ran.push(...dispatched.map((d) => d.taskId));
      }
      expect(ran.length).toBeGreaterThan(0);

      const { records } = await h.bolt.executeQuery(
        `MATCH (t:Task {tenantId: $tenant}) WHERE t.id IN $ran
       OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact)
        RETURN t.status AS status, t.tokensActual AS tokens, a.offline AS offline, a.content AS content`,
        { tenant: h.tenant, ran },
      );
      expect(records).toHaveLength(ran.length);
      for (const r of records) {
        expect([r.get('status'), r.get('offline')]).toEqual(['done', offline]);
        expect(r.get('tokens')).toBeGreaterThan(0);
        expect(r.get('content')).toMatch(content);
      }

      const balance = await h.store.read(h.tenant);
      const ledger = await ledgerTotals(h.bolt, h.tenant);
      expect(balance?.reserved).toBe(0);
      expect(ledger.settle).toEqual({ total: balance?.spent, count: ran.length });
      expect(ledger.fund?.total).toBe(10_000_000);
      expect((balance?.left ?? 0) + (balance?.spent ?? 0)).toBe(10_000_000);
      expect(await h.budget.rebuild(h.tenant)).toEqual(balance);
    },
  );
});
