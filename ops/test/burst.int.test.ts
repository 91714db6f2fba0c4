import { agentRoles, budgetKeys, createRedisClient } from '@ai-org/core';
import { type FakeChatRequest, type FakeLlmServer, graphqlClient, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from './stack';

const adminToken = 'burst-admin';
/**
 * How many ready tasks get a dispatchTask each, all at once. The burst was 1,000; this
 * default keeps the suite's run on a small CI machine short, BURST_TASKS=1000 replays it in full.
 */
const taskCount = Number(process.env.BURST_TASKS ?? 300);
/** Each task plans 1k tokens (500 µUSD at the default price); the budget pays for a tenth of them. */
const taskCostMicroUsd = 500;
const fundedFor = Math.ceil(taskCount / 10);
/** The extra tasks a later top-up pays for. */
const toppedUpFor = 10;
/**
 * A request still unanswered after this is a hang (the issue saw answers never come). Generous: on a
 * busy 2-core machine the slowest of 1,000 answers took about 45 s, every one of them typed.
 */
const requestTimeoutMs = 90_000;
/** How long the stack gets to settle down after the burst, and after the top-up. */
const quiet = { timeout: 120_000, interval: 500 };

/** The fake LLM answers with nearly as many tokens as the reservation leaves: a task spends nearly all of it. */
const answerFillingTheReservation = (request: FakeChatRequest) => ({
  kind: 'ok' as const,
  text: Array.from({ length: (request.max_tokens ?? 100) - 2 }, () => 'word').join(' '),
});

type Answer = { kind: 'data' } | { kind: 'error'; codes: string[] } | { kind: 'no answer'; reason: string };

/**
 * A burst of dispatchTask calls on one tenant, against the three processes of `npm start` (API, role
 * workers, orchestrator ticking meanwhile): every call is answered with data or a typed error, and
 * once the stack is quiet every task is done or waits for budget, with the books balanced.
 */
describe('a burst of dispatches on one tenant whose budget pays for a tenth of them', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  let redis: Redis;
  let stack: RunningStack;
  let gql: ReturnType<typeof graphqlClient>;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    llm.setResponder(answerFillingTheReservation);
    h = await createHarness();
    redis = createRedisClient(h.config.redis.url, 'worker', 'test-burst');
    await redis.connect();
    stack = await startStack(
      {
        WORKER_TENANTS: h.tenant,
        DEFAULT_TENANT: '',
        ADMIN_TOKEN: adminToken,
        BUDGET_MIN_LEFT_USD: '0',
        ORCHESTRATOR_INTERVAL_MS: '500',
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: llm.url,
        LLM_TIMEOUT_MS: '10000',
        JOB_BACKOFF_MS: '100',
        LOG_LEVEL: 'warn',
      },
      { startupDeadline: 90_000 },
    );
    gql = graphqlClient(stack.apiUrl, adminToken);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await h?.close();
    redis?.disconnect();
    await llm?.close();
  });

  const dispatchTask = async (id: string): Promise<Answer> => {
    try {
      const response = await fetch(`${stack.apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': h.tenant },
        body: JSON.stringify({ query: 'mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', variables: { id } }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const body = (await response.json()) as {
        data?: { dispatchTask: { taskId: string } | null } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      if (body.errors?.length) return { kind: 'error', codes: body.errors.map((e) => e.extensions?.code ?? 'none') };
      return body.data?.dispatchTask?.taskId === id ? { kind: 'data' } : { kind: 'no answer', reason: 'no data' };
    } catch (error) {
      return { kind: 'no answer', reason: `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}` };
    }
  };

  /** What is still moving: statuses by count, what Redis holds, jobs not finished. */
  const state = async () => {
    const { records } = await h.bolt.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.status AS status, count(t) AS n',
      { tenant: h.tenant },
    );
    const statuses = Object.fromEntries(records.map((r) => [r.get('status') as string, Number(r.get('n'))]));
    let unfinishedJobs = 0;
    for (const role of agentRoles) {
      const counts = await h.queues.queue(h.tenant, role).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      unfinishedJobs += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    const balance = await h.store.read(h.tenant);
    return { statuses, reserved: balance?.reserved, unfinishedJobs };
  };
  const settledDown = async () => {
    const { statuses, reserved, unfinishedJobs } = await state();
    const moving = Object.keys(statuses).filter((status) => status !== 'done' && status !== 'waiting_budget');
    return { moving, reserved, unfinishedJobs };
  };

  /** Redis and the ledger agree, nothing is held, and every job was charged once, for a task done. */
  const expectBooksBalanced = async () => {
    const balance = await h.store.read(h.tenant);
    if (!balance) throw new Error('no budget in Redis');
    expect(balance.reserved).toBe(0);
    expect(balance.left + balance.reserved + balance.spent).toBe(balance.funded);
    const totals = await ledgerTotals(h.bolt, h.tenant);
    expect(totals.fund?.total).toBe(balance.funded);
    expect(totals.settle?.total ?? 0).toBe(balance.spent);

    // Each job Redis settled has the same charge in the ledger; no reservation is left open there.
    const settledInRedis = Object.fromEntries(
      Object.entries(await redis.hgetall(budgetKeys(h.tenant).settled)).map(([job, amount]) => [job, Number(amount)]),
    );
    const { records } = await h.bolt.executeQuery(
      `MATCH (e:LedgerEntry {tenantId: $tenant}) WHERE e.kind IN ['reserve', 'settle']
       RETURN e.kind AS kind, e.jobId AS job, e.amountMicroUsd AS amount`,
      { tenant: h.tenant },
    );
    const entries = records.map((r) => ({
      kind: r.get('kind') as string,
      job: r.get('job') as string,
      amount: Number(r.get('amount')),
    }));
    const settledInLedger = Object.fromEntries(
      entries.filter((e) => e.kind === 'settle').map((e) => [e.job, e.amount]),
    );
    expect(settledInLedger).toEqual(settledInRedis);
    const open = entries.filter((e) => e.kind === 'reserve' && !(e.job in settledInLedger)).map((e) => e.job);
    expect(open).toEqual([]);

    // Charged jobs are the done tasks' runs, one each: no task paid twice, none paid for nothing.
    const charged = Object.entries(settledInLedger)
      .filter(([, amount]) => amount > 0)
      .map(([job]) => job.slice(0, job.lastIndexOf('.')));
    const { records: done } = await h.bolt.executeQuery(
      "MATCH (t:Task {tenantId: $tenant, status: 'done'}) RETURN t.id AS id",
      { tenant: h.tenant },
    );
    expect(charged.sort()).toEqual(done.map((r) => r.get('id') as string).sort());
    return { balance, done: done.length };
  };

  it('answers every call with data or a typed error, and leaves every task done or waiting, the books balanced', async () => {
    await gql(h.tenant, 'mutation($usd: Float!) { setBudget(amountUsd: $usd) { leftUsd } }', {
      usd: (fundedFor * taskCostMicroUsd) / 1_000_000,
    });
    const ids = Object.values(
      await h.plan({
        tasks: Array.from({ length: taskCount }, (_, i) => ({
          key: `t${i}`,
          description: `Burst task ${i}`,
          owner: 'dev',
          tokensPlan: 1,
        })),
      }),
    );
    expect(ids).toHaveLength(taskCount);

    const answers = await Promise.all(ids.map(dispatchTask));
    const unanswered = answers.filter((a) => a.kind === 'no answer');
    expect(unanswered).toEqual([]);
    const codes = new Set(answers.flatMap((a) => (a.kind === 'error' ? a.codes : [])));
    const typed = ['BUDGET_EXCEEDED', 'SERVICE_UNAVAILABLE', 'CONFLICT'];
    expect([...codes].filter((code) => !typed.includes(code))).toEqual([]);
    // (How many get data depends on the orchestrator, admitting the same tasks meanwhile.)

    await expect.poll(settledDown, quiet).toEqual({ moving: [], reserved: 0, unfinishedJobs: 0 });
    const { balance, done } = await expectBooksBalanced();
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(taskCount);
    // The budget was spent to what is left below one task's price: nothing admissible was left waiting.
    expect(balance.left).toBeLessThan(taskCostMicroUsd);

    // The tenant's ticks still work: a top-up lets waiting tasks run, as many as it pays for.
    await gql(h.tenant, 'mutation($usd: Float!) { topUpBudget(amountUsd: $usd) { leftUsd } }', {
      usd: (toppedUpFor * taskCostMicroUsd) / 1_000_000,
    });
    await expect
      .poll(async () => (await state()).statuses.done ?? 0, quiet)
      .toBeGreaterThanOrEqual(done + toppedUpFor - 1);
    await expect.poll(settledDown, quiet).toEqual({ moving: [], reserved: 0, unfinishedJobs: 0 });
    const after = await expectBooksBalanced();
    expect(after.balance.left).toBeLessThan(taskCostMicroUsd);
    expect(after.done).toBeLessThan(taskCount);
  }, 600_000);
});
