import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const allFields =
  'id tenantId description status owner businessValue tokensPlan tokensActual purposeRelevance createdAt statusReason dispatchCount dependsOnIds';

type Row = Record<string, unknown>;
interface Graph {
  nodes?: Row[];
  edges?: { from: string; to: string }[];
}

/** Reads only the selected columns (task-graph-selection.ts): a narrower selection must answer the same values. */
describe('taskGraph answers any selection as the full read does', () => {
  let t: TestApp;
  const tenant = uniqueTenant('graphsel');
  let full: Graph = {};

  const graphOf = async (query: string): Promise<Graph> => {
    const res = await t.gql<{ taskGraph?: Graph; liveSnapshot?: { taskGraph: Graph } }>(query, {}, tenant);
    expect(res.errors).toBeUndefined();
    return (res.data?.taskGraph ?? res.data?.liveSnapshot?.taskGraph) as Graph;
  };
  const pick = (rows: Row[] | undefined, fields: string[]) =>
    rows?.map((row) => Object.fromEntries(fields.map((field) => [field, row[field]])));

  beforeAll(async () => {
    t = await startTestApp();
    const plan = await t.gql(
      `mutation($input: CreatePlanInput!) { createPlan(input: $input) { edgeCount } }`,
      {
        input: {
          tasks: [
            { key: 'a', description: 'First', owner: 'dev' },
            { key: 'b', description: 'Second' },
            { key: 'c', description: 'Third', owner: 'qa', status: 'blocked' },
          ],
          dependencies: [
            { from: 'c', to: 'b' },
            { from: 'c', to: 'a' },
            { from: 'b', to: 'a' },
          ],
        },
      },
      tenant,
    );
    expect(plan.errors).toBeUndefined();
    full = await graphOf(`{ taskGraph { nodes { ${allFields} } edges { from to } } }`);
    expect(full.nodes).toHaveLength(3);
    expect(full.edges).toHaveLength(3);
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('answers one field of each node, in the same order', async () => {
    const graph = await graphOf('{ taskGraph { nodes { status } } }');
    expect(graph.nodes).toEqual(pick(full.nodes, ['status']));
  });

  it('answers the edges alone, and the dependencies through a fragment', async () => {
    expect((await graphOf('{ taskGraph { edges { from to } } }')).edges).toEqual(full.edges);
    const graph = await graphOf(
      '{ taskGraph { nodes { ...Deps } } } fragment Deps on TaskRecord { id dependsOnIds createdAt }',
    );
    expect(graph.nodes).toEqual(pick(full.nodes, ['id', 'dependsOnIds', 'createdAt']));
  });

  it("answers the live snapshot's graph alike", async () => {
    const graph = await graphOf('{ liveSnapshot { taskGraph { nodes { id owner dependsOnIds } edges { from to } } } }');
    expect(graph.nodes).toEqual(pick(full.nodes, ['id', 'owner', 'dependsOnIds']));
    expect(graph.edges).toEqual(full.edges);
  });

  it('tells browsers and proxies to store no answer (the cache-control plugin is off)', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
      body: JSON.stringify({ query: '{ taskGraph { nodes { id } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
