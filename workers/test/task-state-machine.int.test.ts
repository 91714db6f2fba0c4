import { createRedisClient, parseTenantEvent, type TenantEvent, tenantEventChannel } from '@ai-org/core';
import { type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiProvider } from '../src/llm';

/** Waits for deliveries over Redis pub/sub and for jobs to end; generous, as the machine is shared. */
const deadline = { timeout: 15_000 };

describe('the task state machine around dispatch and runs', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  const subscribers: ReturnType<typeof createRedisClient>[] = [];

  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(async () => {
    await llm.close();
  });
  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) subscriber.disconnect();
    await h.close();
  });

  /** Every event of the harness's tenant from now on, in order. */
  const listen = async (): Promise<TenantEvent[]> => {
    const events: TenantEvent[] = [];
    const subscriber = createRedisClient(h.config.redis.url, 'worker', 'test-state-machine-events');
    subscribers.push(subscriber);
    subscriber.on('message', (_channel: string, message: string) => {
      const event = parseTenantEvent(message);
      if (event) events.push(event);
    });
    await subscriber.connect();
    await subscriber.subscribe(tenantEventChannel(h.tenant));
    return events;
  };
  /** Creates a task (its creation is announced) and waits for its event: every earlier event has arrived. */
  const closingEvent = async (events: readonly TenantEvent[]): Promise<void> => {
    const { id } = await h.tasks.create(h.tenant, { description: 'closing event' });
    await expect.poll(() => events.some((e) => e.kind === 'task' && e.task.id === id), deadline).toBe(true);
  };
  const statusesAnnounced = (events: readonly TenantEvent[], taskId: string | undefined) =>
    events.flatMap((e) => (e.kind === 'task' && e.task.id === taskId ? [e.task.status] : []));

  it('announces a task waiting for budget once, however many admissions the budget refuses', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000); // 0.001 USD: pays for 2k tokens, not 50k
    const events = await listen();
    const ids = await h.plan({
      tasks: [
        { key: 'top', description: 'Valuable, too expensive', owner: 'dev', businessValue: 9, tokensPlan: 50 },
        { key: 'below', description: 'Ranks below it', owner: 'qa', businessValue: 1, tokensPlan: 50 },
      ],
    });

    for (let tick = 0; tick < 2; tick += 1) {
      const summary = await h.dispatch.dispatchReady(h.tenant, 10);
      expect(summary.dispatched).toEqual([]);
      expect(summary.skipped.map((s) => [s.taskId, s.code])).toEqual([
        [ids.top, 'BUDGET_EXCEEDED'],
        [ids.below, 'BUDGET_EXCEEDED'],
      ]);
    }
    await closingEvent(events);

    expect(statusesAnnounced(events, ids.top)).toEqual(['todo', 'waiting_budget']);
    expect(statusesAnnounced(events, ids.below)).toEqual(['todo', 'waiting_budget']);
    // Not claimed again while the budget cannot pay: one dispatch counted, none for the one ranked below.
    expect((await h.tasks.get(h.tenant, ids.top)).dispatchCount).toBe(1);
    expect((await h.tasks.get(h.tenant, ids.below)).dispatchCount).toBe(0);
    expect(await h.tasks.get(h.tenant, ids.top)).toMatchObject({
      status: 'waiting_budget',
      statusReason: 'needs 0.025 USD, 0.001 USD left',
    });
  });

  it('announces nothing new when dispatchTask is refused again for the same reason', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000);
    const events = await listen();
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Too expensive', owner: 'dev', tokensPlan: 50 }] });

    for (let attempt = 0; attempt < 2; attempt += 1)
      await expect(h.dispatch.dispatch(h.tenant, ids.a as string)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await closingEvent(events);

    expect(statusesAnnounced(events, ids.a)).toEqual(['todo', 'waiting_budget']);
    expect((await h.tasks.get(h.tenant, ids.a)).status).toBe('waiting_budget');
  });

  it('leaves a task changed by hand while its agent runs as it was set, and charges the tokens the run used', async () => {
    h = await createHarness();
    await h.budget.topUp(h.tenant, 1_000_000);
    await h.startWorkers(
      new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 30_000 }),
    );
    const ids = await h.plan({ tasks: [{ key: 'a', description: 'Changed mid-run', owner: 'dev', tokensPlan: 4 }] });
    const taskId = ids.a as string;
    llm.enqueue({ kind: 'hold' }); // the LLM "thinks" until the test releases it
    const requested = llm.requests.length + 1;
    const { dispatchId } = await h.dispatch.dispatch(h.tenant, taskId);
    await llm.waitForRequest(requested);
    expect((await h.tasks.get(h.tenant, taskId)).status).toBe('doing');

    await h.tasks.setStatus(h.tenant, taskId, 'todo'); // by hand: doing → todo is allowed
    llm.release();
    const job = async () => h.queues.queue(h.tenant, 'dev').getJob(dispatchId);
    await expect.poll(async () => (await job())?.getState(), deadline).toBe('failed');

    expect((await job())?.failedReason).toMatch(/is todo; the result is dropped/);
    expect(await h.tasks.get(h.tenant, taskId)).toMatchObject({ status: 'todo', tokensActual: 0 });
    const { records } = await h.bolt.executeQuery('MATCH (:Task {id: $taskId})-[:PRODUCED]->(a) RETURN count(a) AS n', {
      taskId,
    });
    expect(Number(records[0]?.get('n'))).toBe(0);
    const balance = await h.store.read(h.tenant);
    expect(balance?.reserved).toBe(0);
    expect(balance?.spent).toBeGreaterThan(0);
  });
});
