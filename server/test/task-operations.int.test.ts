import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, countTasks, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const taskFields =
  'id tenantId description status owner businessValue tokensPlan tokensActual purposeRelevance createdAt dependsOnIds';
const createTask = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${taskFields} } }`;

interface TaskRecord {
  id: string;
  status: string;
  description: string;
  businessValue: number;
  purposeRelevance: number;
  dependsOnIds: string[];
}

describe('task operations over GraphQL', () => {
  let t: TestApp;
  const tenant = uniqueTenant('ops');

  const create = async (input: Record<string, unknown>, as = tenant): Promise<TaskRecord> => {
    const res = await t.gql<{ createTask: TaskRecord }>(createTask, { input }, as);
    expect(res.errors).toBeUndefined();
    return res.data?.createTask as TaskRecord;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('creates a task that is really stored in Neo4j and readable through the generated query', async () => {
    const task = await create({
      description: 'Write the API',
      businessValue: 5,
      tokensPlan: 12.5,
      purposeRelevance: 0.8,
      owner: 'dev',
    });
    expect(task.id).toMatch(/^[0-9a-z]{8}$/);
    expect(task).toMatchObject({
      status: 'todo',
      description: 'Write the API',
      businessValue: 5,
      purposeRelevance: 0.8,
    });

    const { records } = await t.bolt.executeQuery(
      'MATCH (:Tenant {id: $tenant})-[:HAS_TASK]->(t:Task {id: $id}) RETURN t.description AS d, t.tokensPlan AS p, t.tokensActual AS a',
      { tenant, id: task.id },
    );
    expect(records.map((r) => [r.get('d'), r.get('p'), r.get('a')])).toEqual([['Write the API', 12.5, 0]]);

    const generated = await t.gql<{ tasks: { id: string; createdAt: string; owner: string }[] }>(
      'query($id: ID!) { tasks(where: { id: { eq: $id } }) { id owner createdAt } }',
      { id: task.id },
      tenant,
    );
    expect(generated.errors).toBeUndefined();
    expect(generated.data?.tasks).toEqual([
      { id: task.id, owner: 'dev', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
  });

  it('lists the backlog by business value × relevance, todo tasks only', async () => {
    const low = await create({ description: 'low', businessValue: 10, purposeRelevance: 0.1 });
    const high = await create({ description: 'high', businessValue: 4, purposeRelevance: 1 });
    const done = await create({ description: 'done already', businessValue: 100, purposeRelevance: 1, status: 'done' });
    const res = await t.gql<{ backlog: TaskRecord[] }>(`{ backlog(limit: 500) { id status } }`, {}, tenant);
    const ids = res.data?.backlog.map((task) => task.id) ?? [];
    expect(ids).not.toContain(done.id);
    expect(ids.indexOf(high.id)).toBeLessThan(ids.indexOf(low.id));
    expect(res.data?.backlog.every((task) => task.status === 'todo')).toBe(true);
  });

  it('adds and removes a dependency and serves the whole graph in one request', async () => {
    const a = await create({ description: 'a' });
    const b = await create({ description: 'b' });
    const added = await t.gql<{ addDependency: TaskRecord }>(
      'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id dependsOnIds } }',
      { t: b.id, d: a.id },
      tenant,
    );
    expect(added.data?.addDependency.dependsOnIds).toEqual([a.id]);

    const graph = await t.gql<{ taskGraph: { nodes: { id: string }[]; edges: { from: string; to: string }[] } }>(
      '{ taskGraph { nodes { id } edges { from to } } }',
      {},
      tenant,
    );
    expect(graph.data?.taskGraph.edges).toContainEqual({ from: b.id, to: a.id });
    expect(graph.data?.taskGraph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([a.id, b.id]));

    const removed = await t.gql<{ removeDependency: { removed: boolean; task: TaskRecord } }>(
      'mutation($t: ID!, $d: ID!) { removeDependency(taskId: $t, dependsOnId: $d) { removed task { dependsOnIds } } }',
      { t: b.id, d: a.id },
      tenant,
    );
    expect(removed.data?.removeDependency).toEqual({ removed: true, task: { dependsOnIds: [] } });
  });

  it('refuses an edge that would close a cycle and leaves the graph as it was', async () => {
    const a = await create({ description: 'first' });
    const b = await create({ description: 'second', dependsOn: [a.id] });
    const c = await create({ description: 'third', dependsOn: [b.id] });
    const res = await t.gql(
      'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id } }',
      { t: a.id, d: c.id },
      tenant,
    );
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toContain('cycle');
    const self = await t.gql(
      'mutation($t: ID!) { addDependency(taskId: $t, dependsOnId: $t) { id } }',
      { t: a.id },
      tenant,
    );
    expect(codesOf(self)).toEqual(['BAD_USER_INPUT']);
    const { records } = await t.bolt.executeQuery('MATCH (t:Task {id: $id})-[:DEPENDS_ON]->() RETURN count(*) AS n', {
      id: a.id,
    });
    expect(records[0]?.get('n')).toBe(0);
  });

  it("changes a task's status and answers NOT_FOUND for an unknown task", async () => {
    const task = await create({ description: 'to be done' });
    const res = await t.gql<{ setTaskStatus: TaskRecord }>(
      'mutation($id: ID!) { setTaskStatus(id: $id, status: doing) { id status } }',
      { id: task.id },
      tenant,
    );
    expect(res.data?.setTaskStatus).toEqual({ id: task.id, status: 'doing' });
    const missing = await t.gql('mutation { setTaskStatus(id: "zzzzzzzz", status: done) { id } }', {}, tenant);
    expect(codesOf(missing)).toEqual(['NOT_FOUND']);
  });

  it('writes a plan of hundreds of tasks and edges in one call', async () => {
    const planTenant = uniqueTenant('plan');
    try {
      const tasks = Array.from({ length: 300 }, (_, i) => ({
        key: `k${i}`,
        description: `step ${i}`,
        businessValue: i % 10,
      }));
      const dependencies = tasks.slice(1).map((task, i) => ({ from: task.key, to: `k${i}` }));
      const res = await t.gql<{ createPlan: { tasks: { key: string; id: string }[]; edgeCount: number } }>(
        'mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } edgeCount } }',
        { input: { tasks, dependencies } },
        planTenant,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.createPlan.tasks).toHaveLength(300);
      expect(res.data?.createPlan.edgeCount).toBe(299);
      expect(await countTasks(t.bolt, planTenant)).toBe(300);
    } finally {
      await deleteTenants(t.bolt, planTenant);
    }
  });

  it('refuses a plan whose dependencies form a cycle, writing nothing', async () => {
    const planTenant = uniqueTenant('cyc');
    const res = await t.gql(
      'mutation($input: CreatePlanInput!) { createPlan(input: $input) { edgeCount } }',
      {
        input: {
          tasks: [
            { key: 'a', description: 'a' },
            { key: 'b', description: 'b' },
            { key: 'c', description: 'c' },
          ],
          dependencies: [
            { from: 'a', to: 'b' },
            { from: 'b', to: 'c' },
            { from: 'c', to: 'a' },
          ],
        },
      },
      planTenant,
    );
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(await countTasks(t.bolt, planTenant)).toBe(0);
  });
});
