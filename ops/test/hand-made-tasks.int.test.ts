import { graphqlClient } from '@ai-org/testing';
import { createHarness, type Harness, ledgerTotals } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from './stack';

const adminToken = 'hand-made-admin';
/** Long enough for a few orchestrator ticks (300 ms) and one offline agent job. */
const progress = { timeout: 30_000, interval: 200 };

interface TaskView {
  readonly id: string;
  readonly status: string;
  readonly owner: string | null;
  readonly routedBy: string | null;
  readonly tokensPlan: number;
  readonly tokensActual: number;
  readonly artifacts: readonly { readonly provider: string; readonly offline: boolean }[];
}
const taskQuery = `query($id: ID!) {
  tasks(where: { id: { eq: $id } }) { id status owner routedBy tokensPlan tokensActual artifacts { provider offline } }
}`;

/** The seed's `POST /task`, as a new user sends it. */
const postTask = async (apiUrl: string, tenant: string, body: Record<string, unknown>) => {
  const response = await fetch(`${apiUrl}/task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; owner: string | null };
};

describe('hand-made tasks while the platform runs (API, role workers, orchestrator as processes)', () => {
  let h: Harness;
  let stack: RunningStack;
  let gql: ReturnType<typeof graphqlClient>;
  const task = async (id: string) => (await gql<{ tasks: TaskView[] }>(h.tenant, taskQuery, { id })).tasks[0];

  beforeAll(async () => {
    h = await createHarness();
    stack = await startStack({
      WORKER_TENANTS: h.tenant,
      DEFAULT_TENANT: '',
      ADMIN_TOKEN: adminToken,
      BUDGET_MIN_LEFT_USD: '0',
      ORCHESTRATOR_INTERVAL_MS: '300',
      OPENAI_API_KEY: '',
      LOG_LEVEL: 'warn',
    });
    gql = graphqlClient(stack.apiUrl, adminToken);
    await gql(h.tenant, 'mutation { setBudget(amountUsd: 1) { leftUsd } }');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await h?.close();
  });

  it('routes a task posted without an owner, runs it and charges it exactly once', async () => {
    const posted = await postTask(stack.apiUrl, h.tenant, { description: 'Write the README of the CSV tool' });
    expect(posted.owner).toBeNull();

    await expect.poll(async () => (await task(posted.id))?.status, progress).toBe('done');
    const done = await task(posted.id);
    expect(done).toMatchObject({ owner: 'dev', routedBy: 'keywords', tokensPlan: 4 });
    expect(done?.tokensActual).toBeGreaterThan(0);
    expect(done?.artifacts).toEqual([{ provider: 'offline', offline: true }]);

    // One reservation and one settlement, for its one dispatch; the books balance.
    const ledger = await ledgerTotals(h.bolt, h.tenant);
    expect(ledger.reserve?.count).toBe(1);
    expect(ledger.settle?.count).toBe(1);
    const budget = await h.budget.read(h.tenant);
    expect(budget.spent).toBe(ledger.settle?.total);
    expect(budget.reserved).toBe(0);
    expect(budget.left + budget.spent).toBe(budget.funded);
  });

  it('leaves a task owned by a person with that person, and a waiting goal says it waits for them', async () => {
    const posted = await postTask(stack.apiUrl, h.tenant, { description: 'Review the pricing page', owner: 'alice' });
    const { setGoal } = await gql<{ setGoal: { id: string } }>(
      h.tenant,
      'mutation { setGoal(text: "a CLI that converts CSV to JSON") { id } }',
    );
    const goalReason = async () => {
      const { goals } = await gql<{ goals: { id: string; status: string; statusReason: string | null }[] }>(
        h.tenant,
        'query($id: ID!) { goals(where: { id: { eq: $id } }) { id status statusReason } }',
        { id: setGoal.id },
      );
      return goals[0];
    };
    await expect.poll(async () => (await goalReason())?.statusReason ?? '', progress).toContain('alice');
    expect(await goalReason()).toMatchObject({ status: 'pending' });
    expect((await goalReason())?.statusReason).toMatch(/1 open task \(1 to do\).*owned by people \(alice\)/);

    // The orchestrator has ticked since (it wrote the reason), and the person's task is untouched.
    expect(await task(posted.id)).toMatchObject({ status: 'todo', owner: 'alice', routedBy: null });
  });
});
