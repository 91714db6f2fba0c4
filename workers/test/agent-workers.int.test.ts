import { countMessageTokens, createRedisClient, type TenantEvent, tenantEventChannel, toUsd } from '@ai-org/core';
import { GoalRepository, TaskRunRepository } from '@ai-org/schema';
import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { truncationNote } from '../src/agent/agent-prompts';
import { OpenAiProvider } from '../src/llm';

describe('agent workers with the real openai client against a test LLM server', () => {
  let llm: FakeLlmServer;
  let h: Harness;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(async () => {
    await llm.close();
  });
  afterEach(async () => {
    await h.close();
    llm.setDefault({ kind: 'ok' });
  });

  const start = async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000_000); // 1 USD
    await h.startWorkers(
      new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 1_000 }),
    );
  };

  /** Every event of the harness's tenant, as published. */
  const listen = async (name: string) => {
    const listener = createRedisClient(h.config.redis.url, 'worker', name);
    const events: TenantEvent[] = [];
    listener.on('message', (_channel: string, message: string) => events.push(JSON.parse(message) as TenantEvent));
    await listener.subscribe(tenantEventChannel(h.tenant));
    return { events, listener };
  };
  /** A first run of the task's first dispatch that stored its artifact and died before announcing it. */
  const storeWithoutAnnouncing = async (taskId: string, tokensUsed: number) => {
    const runs = new TaskRunRepository(h.bolt);
    await runs.startRun(h.tenant, taskId, `${taskId}.1`);
    await runs.completeRun({
      tenantId: h.tenant,
      taskId,
      dispatchId: `${taskId}.1`,
      tokensUsed,
      artifact: { kind: 'dev-deliverable', content: 'stored', provider: 'openai', model: 'm', offline: false },
    });
  };

  it('runs ready tasks to done with artifacts, tokens and a balanced ledger, feeding results downstream', async () => {
    await start();
    const ids = await h.plan({
      tasks: [
        { key: 'build', description: 'Build the API', owner: 'dev', tokensPlan: 4 },
        { key: 'test', description: 'Test the API', owner: 'qa', tokensPlan: 4 },
      ],
      dependencies: [{ from: 'test', to: 'build' }],
    });
    const first = await h.dispatch.dispatchReady(h.tenant, 10);
    expect(first.dispatched.map((d) => [d.taskId, d.queue, d.dispatchId])).toEqual([
      [ids.build, `${h.tenant}.dev`, `${ids.build}.1`],
    ]);
    await h.waitForStatus(ids.build as string, 'done');
    await h.dispatch.dispatchReady(h.tenant, 10);
    const tested = await h.waitForStatus(ids.test as string, 'done');
    expect(tested.tokensActual).toBeGreaterThan(0);

    const qaPrompt = llm.requests.at(-1)?.messages?.at(-1)?.content ?? '';
    expect(qaPrompt).toContain(`--- ${ids.build}: Build the API\n${fakeAnswer}`);

    const { records } = await h.bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})-[:PRODUCED]->(a:Artifact)
       RETURN t.id AS task, a.provider AS provider, a.model AS model, a.offline AS offline, a.content AS content, a.tokensUsed AS used`,
      { tenant: h.tenant },
    );
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect([r.get('provider'), r.get('model'), r.get('offline'), r.get('content')]).toEqual([
        'openai',
        'test-model',
        false,
        fakeAnswer,
      ]);
    }

    const balance = await h.store.read(h.tenant);
    const ledger = await ledgerTotals(h.bolt, h.tenant);
    expect(balance?.reserved).toBe(0);
    expect(balance?.spent).toBeGreaterThan(0);
    expect((balance?.left ?? 0) + (balance?.spent ?? 0)).toBe(1_000_000);
    expect(ledger.settle).toEqual({ total: balance?.spent, count: 2 });
    expect(ledger.reserve?.count).toBe(2);
    const used = records.reduce((sum, r) => sum + Number(r.get('used')) * 1000, 0);
    expect(balance?.spent).toBe(
      records.reduce((sum, r) => sum + h.budget.costOfTokens(Math.round(Number(r.get('used')) * 1000)), 0),
    );
    expect(used).toBeGreaterThan(0);
  });

  /** The request of the task's job: its user message starts with "Task <id>:". */
  const requestOf = (taskId: string) =>
    llm.requests.findLast((r) => r.messages?.at(-1)?.content?.startsWith(`Task ${taskId}:`));

  /** A goal as the goal planner leaves it, with its outline; its tasks link to it by `goalId`. */
  const planFromGoal = async (text: string, architecture: string, plan: Parameters<Harness['plan']>[0]) => {
    const goals = new GoalRepository(h.bolt);
    const goal = await goals.create(h.tenant, text);
    await goals.recordArchitecture(h.tenant, goal.id, architecture);
    const created = await h.tasks.createPlan(h.tenant, plan, { goalId: goal.id });
    return { ...(created?.ids ?? {}) };
  };

  it("gives a role job its goal, the architect's outline and its dependency's artifact", async () => {
    await start();
    const goal = 'a CLI that converts CSV files to JSON';
    const outline = 'A streaming CSV reader, a row-to-object converter and a JSON writer behind one command.';
    const ids = await planFromGoal(goal, outline, {
      tasks: [
        { key: 'design', description: 'Design the flags', owner: 'ux_ui', tokensPlan: 4 },
        { key: 'parse', description: 'Parse the CSV input', owner: 'dev', tokensPlan: 4 },
      ],
      dependencies: [{ from: 'parse', to: 'design' }],
    });
    llm.enqueue({ kind: 'ok', text: 'Flags: --input <file>, --output <file>, --pretty.' });
    await h.dispatch.dispatch(h.tenant, ids.design as string);
    await h.waitForStatus(ids.design as string, 'done');
    await h.dispatch.dispatch(h.tenant, ids.parse as string);
    await h.waitForStatus(ids.parse as string, 'done');

    const prompt = requestOf(ids.parse as string)?.messages?.at(-1)?.content ?? '';
    expect(prompt).toContain(`Goal: ${goal}`);
    expect(prompt).toContain(`The architecture outline of the plan:\n${outline}`);
    expect(prompt).toContain(`--- ${ids.design}: Design the flags\nFlags: --input <file>, --output <file>, --pretty.`);
    expect(prompt).not.toContain(truncationNote);
  });

  it('cuts a context far larger than the reservation to fit and runs the job instead of failing it', async () => {
    await start();
    const words = (seed: string, n: number) => Array.from({ length: n }, (_, i) => `${seed}${i % 997}`).join(' ');
    const ids = await planFromGoal('a CLI that converts CSV files to JSON', words('outline', 20_000), {
      tasks: [
        { key: 'design', description: 'Design the flags', owner: 'ux_ui', tokensPlan: 40 },
        { key: 'parse', description: 'Parse the CSV input', owner: 'dev', tokensPlan: 2 },
      ],
      dependencies: [{ from: 'parse', to: 'design' }],
    });
    llm.enqueue({ kind: 'ok', text: words('design', 2_000) });
    await h.dispatch.dispatch(h.tenant, ids.design as string);
    await h.waitForStatus(ids.design as string, 'done');
    await h.dispatch.dispatch(h.tenant, ids.parse as string);
    const done = await h.waitForStatus(ids.parse as string, 'done', 'failed');
    expect(done.statusReason).toBeNull();
    expect(done.status).toBe('done');

    // 2k tokens planned × the factor 2: the outline and the dependency share a quarter of the 4k, the
    // step keeps the rest for its answer.
    const request = requestOf(ids.parse as string);
    const prompt = request?.messages?.at(-1)?.content ?? '';
    const texts = (request?.messages ?? []).map(({ role, content }) => ({ role, content: content ?? '' }));
    expect(countMessageTokens(texts)).toBeLessThanOrEqual(1_500);
    expect(request?.max_tokens).toBeGreaterThanOrEqual(1_500);
    expect(
      prompt.startsWith(`Task ${ids.parse}: Parse the CSV input\nGoal: a CLI that converts CSV files to JSON\n`),
    ).toBe(true);
    expect(prompt).toContain(`The architecture outline of the plan:\noutline0 outline1`);
    expect(prompt).toContain(`--- ${ids.design}: Design the flags\ndesign0 design1`);
    expect(prompt.split(truncationNote)).toHaveLength(3);
    const balance = await h.store.read(h.tenant);
    expect(balance?.reserved).toBe(0);
  });

  it('announces a task done before the ledger records its settlement, so no kill can leave it settled and unannounced', async () => {
    await start();
    const { events, listener } = await listen('test-announce-order');
    try {
      const ids = await h.plan({
        tasks: [{ key: 'a', description: 'Announce, then settle', owner: 'dev', tokensPlan: 4 }],
      });
      await h.dispatch.dispatchReady(h.tenant, 10);
      await h.waitForStatus(ids.a as string, 'done');
      // A settled job may never come back (BullMQ fails a job that stalled too often), while a
      // reservation the ledger holds open is settled, and its task announced, by a redelivery or the
      // reconciler. (The budget event goes out after the ledger entry; BudgetService proves that the
      // announcement runs after Redis settled and before that entry.)
      const order = () =>
        events.flatMap((event) => {
          if (event.kind === 'task' && event.task.status === 'done') return ['task done'];
          if (event.kind === 'budget' && event.budget.spentUsd > 0) return ['budget settled'];
          return [];
        });
      await expect.poll(order).toEqual(['task done', 'budget settled']);
    } finally {
      listener.disconnect();
    }
  });

  it('announces a task done when its job comes back after a run that stored the artifact and died before announcing', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Finish, then die', owner: 'dev', tokensPlan: 4 }] });
    const taskId = ids.a as string;
    await h.dispatch.dispatchReady(h.tenant, 10);
    // The first run: started, stored its artifact and marked the task done, then was killed (no event).
    await storeWithoutAnnouncing(taskId, 1_000);
    const { events, listener } = await listen('test-redelivery-events');
    const requestsBefore = llm.requests.length;
    try {
      await h.startWorkers(
        new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 1_000 }),
      );
      await h.waitForStatus(taskId, 'done');
      await expect
        .poll(() => events.flatMap((event) => (event.kind === 'task' ? [event.task.status] : [])))
        .toEqual(['done']);
      expect(llm.requests).toHaveLength(requestsBefore); // the redelivery only settled and announced
      expect((await h.store.read(h.tenant))?.spent).toBe(h.budget.costOfTokens(1_000));
    } finally {
      listener.disconnect();
    }
  });

  it('announces the task of a job BullMQ failed for stalling too often, whose last run stored the artifact and died before announcing', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({
      tasks: [{ key: 'a', description: 'Finish, die, never return', owner: 'dev', tokensPlan: 4 }],
    });
    const taskId = ids.a as string;
    await h.dispatch.dispatchReady(h.tenant, 10);
    await storeWithoutAnnouncing(taskId, 1_000);
    // What BullMQ writes on a job that stalled more than it allows: the next worker to take it fails it
    // without running it (workspace tasks have no open reservation by then for the reconciler to find).
    const queue = h.queues.queue(h.tenant, 'dev');
    const redis = createRedisClient(h.config.redis.url, 'worker', 'test-stalled-out-mark');
    await redis.hset(queue.toKey(`${taskId}.1`), 'defa', 'job stalled more than allowable limit');
    redis.disconnect();
    const { events, listener } = await listen('test-stalled-out');
    const requestsBefore = llm.requests.length;
    try {
      await h.startWorkers(
        new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 1_000 }),
      );
      await expect.poll(async () => (await queue.getJob(`${taskId}.1`))?.getState()).toBe('failed');
      await expect
        .poll(() => events.flatMap((event) => (event.kind === 'task' ? [`${event.task.id} ${event.task.status}`] : [])))
        .toEqual([`${taskId} done`]);
      expect(llm.requests).toHaveLength(requestsBefore); // failed by BullMQ, never run
    } finally {
      listener.disconnect();
    }
  });

  it('announces a failed task and the tasks it blocked when its job comes back after the run that failed it died', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000_000);
    const ids = await h.plan({
      tasks: [
        { key: 'a', description: 'Fail, then die', owner: 'dev', tokensPlan: 4 },
        { key: 'b', description: 'Wait for a', owner: 'qa', tokensPlan: 4 },
      ],
      dependencies: [{ from: 'b', to: 'a' }],
    });
    const [a, b] = [ids.a as string, ids.b as string];
    await h.dispatch.dispatchReady(h.tenant, 10);
    // The first run failed the task (blocking b), then was killed before announcing either.
    const runs = new TaskRunRepository(h.bolt);
    await runs.startRun(h.tenant, a, `${a}.1`);
    const failure = await runs.failRun({
      tenantId: h.tenant,
      taskId: a,
      dispatchId: `${a}.1`,
      reason: 'refused',
      tokensUsed: 0,
    });
    expect(failure).toEqual({ state: 'failed', blocked: [b] });
    const { events, listener } = await listen('test-redelivery-failed');
    try {
      await h.startWorkers(
        new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 1_000 }),
      );
      await h.waitForStatus(a, 'failed');
      await expect
        .poll(() => events.flatMap((event) => (event.kind === 'task' ? [`${event.task.id} ${event.task.status}`] : [])))
        .toEqual([`${a} failed`, `${b} blocked`]);
      expect(await h.store.read(h.tenant)).toMatchObject({ reserved: 0, spent: 0 });
    } finally {
      listener.disconnect();
    }
  });

  it('honours Retry-After on 429 and then finishes the task', async () => {
    await start();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Rate limited once', owner: 'dev', tokensPlan: 4 }] });
    const before = llm.requests.length;
    llm.enqueue({ kind: 'status', status: 429, retryAfter: '1' });
    await h.dispatch.dispatch(h.tenant, ids.a as string);
    await h.waitForStatus(ids.a as string, 'done');
    // The delay itself is jobBackoff's (unit-tested): the retry waits what Retry-After asked for.
    expect(llm.requests.length - before).toBe(2);
  });

  it.each([
    ['a 500 on every attempt', { kind: 'status', status: 500 } as const, /gave up after 3 attempts/, 3],
    ['a 400 bad request', { kind: 'status', status: 400 } as const, /LLM refused/, 1],
    ['a 401 unauthorised', { kind: 'status', status: 401 } as const, /LLM refused/, 1],
  ])(
    'fails the task after %s, blocks its dependents, releases the reservation, lets other branches finish',
    async (_name, behaviour, reason, requests) => {
      await start();
      const ids = await h.plan({
        tasks: [
          { key: 'broken', description: 'BROKEN task', owner: 'dev', tokensPlan: 4 },
          { key: 'after', description: 'Waits for the broken one', owner: 'qa', tokensPlan: 4 },
          { key: 'later', description: 'Waits even longer', owner: 'qa', tokensPlan: 4 },
          { key: 'other', description: 'Unrelated branch', owner: 'ux_ui', tokensPlan: 4 },
        ],
        dependencies: [
          { from: 'after', to: 'broken' },
          { from: 'later', to: 'after' },
        ],
      });
      llm.setDefault(behaviour);
      const before = llm.requests.length;
      await h.dispatch.dispatch(h.tenant, ids.broken as string);
      const failed = await h.waitForStatus(ids.broken as string, 'failed');
      expect(failed.statusReason).toMatch(reason);
      expect(llm.requests.length - before).toBe(requests);
      expect((await h.tasks.get(h.tenant, ids.after)).status).toBe('blocked');
      expect((await h.tasks.get(h.tenant, ids.later)).status).toBe('blocked');

      llm.setDefault({ kind: 'ok' });
      await h.dispatch.dispatch(h.tenant, ids.other as string);
      await h.waitForStatus(ids.other as string, 'done');
      const balance = await h.store.read(h.tenant);
      expect(balance?.reserved).toBe(0);
      const ledger = await ledgerTotals(h.bolt, h.tenant);
      expect(ledger.settle?.count).toBe(2);
      expect(balance?.spent).toBe(ledger.settle?.total);
    },
  );

  it.each([
    ['a malformed body', { kind: 'malformed', body: '{"choices": [' } as const],
    ['a slow answer past the timeout', { kind: 'slow', delayMs: 1_500 } as const],
    ['a 503', { kind: 'status', status: 503 } as const],
  ])('retries after %s and finishes the task', async (_name, behaviour) => {
    await start();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Flaky once', owner: 'telemetry', tokensPlan: 4 }] });
    llm.enqueue(behaviour);
    await h.dispatch.dispatch(h.tenant, ids.a as string);
    await h.waitForStatus(ids.a as string, 'done');
  });

  it('fails an answer cut off at the reservation and charges the tokens it used', async () => {
    await start();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Too long', owner: 'dev', tokensPlan: 1 }] });
    llm.setDefault({ kind: 'ok', text: 'word '.repeat(5_000) });
    await h.dispatch.dispatch(h.tenant, ids.a as string);
    const failed = await h.waitForStatus(ids.a as string, 'failed');
    expect(failed.statusReason).toMatch(/cut off/);
    expect(failed.tokensActual).toBeGreaterThan(0);
    const balance = await h.store.read(h.tenant);
    expect(balance?.spent).toBeGreaterThan(0);
    expect(balance?.spent).toBeLessThanOrEqual(h.budget.costOfTokens(1_000));
    expect(balance?.reserved).toBe(0);
  });

  it('stops an expensive failure without calling the LLM', async () => {
    await start();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Burnt money before', owner: 'dev', tokensPlan: 2 }] });
    await h.bolt.executeQuery("MATCH (t:Task {id: $id}) SET t.tokensActual = 4.5, t.status = 'failed'", { id: ids.a });
    const before = llm.requests.length;
    await h.dispatch.dispatch(h.tenant, ids.a as string);
    const failed = await h.waitForStatus(ids.a as string, 'failed');
    await expect.poll(async () => (await h.store.read(h.tenant))?.reserved).toBe(0);
    expect(failed.statusReason).toMatch(/expensive failure/);
    expect(llm.requests.length).toBe(before);
  });

  it('fails a job with invalid data at once, without calling the LLM', async () => {
    await start();
    const queue = h.queues.queue(h.tenant, 'dev');
    const before = llm.requests.length;
    const job = await queue.add('dev', { tenantId: h.tenant, taskId: 'NOT-AN-ID' } as never, { attempts: 3 });
    await expect
      .poll(async () => (await job.isFailed()) && (await queue.getJob(job.id as string))?.failedReason, {
        timeout: 10_000,
      })
      .toMatch(/invalid job data/);
    expect((await queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(llm.requests.length).toBe(before);
  });

  it('publishes nothing when the budget cannot pay, and leaves the task waiting for budget', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000); // 0.001 USD: pays for 2k tokens
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Expensive', owner: 'dev', tokensPlan: 50 }] });
    await expect(h.dispatch.dispatch(h.tenant, ids.a as string)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    const task = await h.tasks.get(h.tenant, ids.a);
    expect(task.status).toBe('waiting_budget');
    expect(task.statusReason).toContain(`needs ${toUsd(h.budget.costOfTokens(50_000))} USD`);
    expect(await h.queues.queue(h.tenant, 'dev').getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    expect(await h.store.read(h.tenant)).toEqual({ left: 1_000, reserved: 0, spent: 0, funded: 1_000 });
  });
});
