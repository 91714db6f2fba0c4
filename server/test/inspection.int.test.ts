import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

/** Hand-checked graph: a → b → c (a done), d alone; values 4, 3, 2, 1; planned 2k, 4k, 6k, 10k tokens. */
describe('goals, inspection and the budget forecast over GraphQL', () => {
  let t: TestApp;
  const tenant = uniqueTenant('insp');

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN: 'admin', BUDGET_MIN_LEFT_USD: '0' });
    await t.gql(
      'mutation($input: CreatePlanInput!) { createPlan(input: $input) { edgeCount } }',
      {
        input: {
          tasks: [
            {
              key: 'a',
              description: 'a',
              owner: 'dev',
              businessValue: 4,
              purposeRelevance: 1,
              tokensPlan: 2,
              status: 'done',
            },
            { key: 'b', description: 'b', owner: 'dev', businessValue: 3, purposeRelevance: 1, tokensPlan: 4 },
            { key: 'c', description: 'c', owner: 'qa', businessValue: 2, purposeRelevance: 1, tokensPlan: 6 },
            { key: 'd', description: 'd', owner: 'qa', businessValue: 1, purposeRelevance: 1, tokensPlan: 10 },
          ],
          dependencies: [
            { from: 'b', to: 'a' },
            { from: 'c', to: 'b' },
          ],
        },
      },
      tenant,
    );
  });
  afterAll(async () => {
    await t.bolt.executeQuery('MATCH (n) WHERE (n:Goal OR n:LedgerEntry) AND n.tenantId = $tenant DETACH DELETE n', {
      tenant,
    });
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('reports the inspector figures of the graph', async () => {
    const res = await t.gql<{ inspection: Record<string, unknown> }>(
      '{ inspection { total done ready running criticalPathTasks criticalPathTokens progress remainingTokens alerts { kind count } } }',
      {},
      tenant,
    );
    // Remaining: b → c (2 tasks, 10k tokens) and d (1 task, 10k tokens); ready: b and d; value done 4 of 10.
    expect(res.data?.inspection).toEqual({
      total: 4,
      done: 1,
      ready: 2,
      running: 0,
      criticalPathTasks: 2,
      criticalPathTokens: 10,
      progress: 0.4,
      remainingTokens: 20,
      alerts: [],
    });
  });

  it('forecasts the cost to finish and the first task the budget cannot pay for', async () => {
    // Price 0.0005 USD per 1k tokens: b 0.002, c 0.003, d 0.005 → 0.01 USD to finish.
    await t.gql('mutation { setBudget(amountUsd: 0.006) { leftUsd } }', {}, tenant, { 'x-admin-token': 'admin' });
    const res = await t.gql<{ budgetForecast: Record<string, unknown> }>(
      '{ budgetForecast { costToFinishUsd budgetLeftUsd firstUnaffordableTaskId } }',
      {},
      tenant,
    );
    // Admission order: b (3/2000) first, then c (2/3000, unlocked by b) before d (1/5000): b + c = 0.005 fits, d does not.
    const d = await t.gql<{ tasks: { id: string }[] }>(
      '{ tasks(where: { description: { eq: "d" } }) { id } }',
      {},
      tenant,
    );
    expect(res.data?.budgetForecast).toEqual({
      costToFinishUsd: 0.01,
      budgetLeftUsd: 0.006,
      firstUnaffordableTaskId: d.data?.tasks[0]?.id,
    });
  });

  it('sets a goal that the orchestrator will plan, and refuses an empty one', async () => {
    const set = await t.gql<{ setGoal: { id: string; status: string } }>(
      'mutation { setGoal(text: "a CLI that converts CSV to JSON") { id status text } }',
      {},
      tenant,
    );
    expect(set.data?.setGoal).toMatchObject({ status: 'pending', text: 'a CLI that converts CSV to JSON' });
    const goals = await t.gql<{ goals: { id: string }[] }>('{ goals { id status } }', {}, tenant);
    expect(goals.data?.goals).toEqual([{ id: set.data?.setGoal.id, status: 'pending' }]);
    expect(codesOf(await t.gql('mutation { setGoal(text: "   ") { id } }', {}, tenant))).toEqual(['BAD_USER_INPUT']);
  });
});
