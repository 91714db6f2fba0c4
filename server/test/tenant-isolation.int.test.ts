import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

/**
 * Tenant A must learn nothing about tenant B: not through the generated reads, their aggregates
 * or relationship filters, not through the custom operations, not through error messages.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  const alice = uniqueTenant('alice');
  const bob = uniqueTenant('bob');
  let bobTask: { id: string };
  let bobSecond: { id: string };
  let aliceTask: { id: string };

  const create = async (tenant: string, description: string, dependsOn: string[] = []) => {
    const res = await t.gql<{ createTask: { id: string } }>(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      { input: { description, dependsOn } },
      tenant,
    );
    return res.data?.createTask as { id: string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    bobTask = await create(bob, 'bob secret');
    bobSecond = await create(bob, 'bob second', [bobTask.id]);
    aliceTask = await create(alice, 'alice task');
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, alice, bob);
    await t.stop();
  });

  it("hides another tenant's tasks from the generated list and connection queries", async () => {
    const res = await t.gql<{ tasks: { id: string }[]; tasksConnection: { totalCount: number } }>(
      '{ tasks { id } tasksConnection { totalCount } }',
      {},
      alice,
    );
    expect(res.data?.tasks).toEqual([{ id: aliceTask.id }]);
    expect(res.data?.tasksConnection.totalCount).toBe(1);
  });

  it("does not count another tenant's tasks in aggregates", async () => {
    const res = await t.gql<{ tasksConnection: { aggregate: { count: { nodes: number } } } }>(
      '{ tasksConnection { aggregate { count { nodes } } } }',
      {},
      alice,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.tasksConnection.aggregate.count.nodes).toBe(1);
  });

  it("does not let a relationship filter probe another tenant's ids", async () => {
    const res = await t.gql<{ tasks: { id: string }[] }>(
      'query($id: ID!) { tasks(where: { dependsOn: { some: { id: { eq: $id } } } }) { id } }',
      { id: bobTask.id },
      alice,
    );
    expect(res.data?.tasks).toEqual([]);
    const tenants = await t.gql<{ tenants: { id: string }[] }>('{ tenants { id } }', {}, alice);
    expect(tenants.data?.tenants).toEqual([{ id: alice }]);
  });

  it("answers a direct read of another tenant's task with nothing", async () => {
    const res = await t.gql<{ tasks: unknown[] }>(
      'query($id: ID!) { tasks(where: { id: { eq: $id } }) { id description } }',
      { id: bobSecond.id },
      alice,
    );
    expect(res.data?.tasks).toEqual([]);
  });

  it("gives the same NOT_FOUND for another tenant's task as for a missing one", async () => {
    const addEdge = 'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id } }';
    const foreign = await t.gql(addEdge, { t: aliceTask.id, d: bobTask.id }, alice);
    const missing = await t.gql(addEdge, { t: aliceTask.id, d: '00000000' }, alice);
    expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
    expect(codesOf(missing)).toEqual(['NOT_FOUND']);
    expect(foreign.errors?.[0]?.message.replace(bobTask.id, 'X')).toBe(
      missing.errors?.[0]?.message.replace('00000000', 'X'),
    );

    const status = await t.gql(
      'mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }',
      { id: bobTask.id },
      alice,
    );
    expect(codesOf(status)).toEqual(['NOT_FOUND']);
    const { records } = await t.bolt.executeQuery('MATCH (t:Task {id: $id}) RETURN t.status AS s', { id: bobTask.id });
    expect(records[0]?.get('s')).toBe('todo');
  });

  it("keeps another tenant's tasks out of the backlog and the task graph", async () => {
    const res = await t.gql<{ backlog: { id: string }[]; taskGraph: { nodes: { id: string }[]; edges: unknown[] } }>(
      '{ backlog { id } taskGraph { nodes { id } edges { from to } } }',
      {},
      alice,
    );
    expect(res.data?.backlog).toEqual([{ id: aliceTask.id }]);
    expect(res.data?.taskGraph).toEqual({ nodes: [{ id: aliceTask.id }], edges: [] });
  });

  it('refuses anonymous requests with UNAUTHENTICATED, generated and custom alike', async () => {
    const generated = await t.gql('{ tasks { id } }', {}, null);
    const custom = await t.gql('{ backlog { id } }', {}, null);
    expect(codesOf(generated)).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(custom)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a malformed tenant id before touching any data', async () => {
    const res = await t.gql('{ backlog { id } }', {}, 'Robert"); DROP');
    expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
  });
});
