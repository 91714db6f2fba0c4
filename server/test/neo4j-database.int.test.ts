import { createClient } from 'graphql-ws';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const readTasks = 'query($id: ID!) { tasks(where: { id: { eq: $id } }) { id description } }';

/** One query over graphql-ws (the socket's context is built like an HTTP request's). */
const overWs = async (app: TestApp, tenant: string, query: string, variables: Record<string, unknown>) => {
  const client = createClient({
    url: app.url.replace(/^http/, 'ws').replace(/\/?$/, '/graphql'),
    webSocketImpl: WebSocket,
    connectionParams: { 'x-tenant-id': tenant },
    retryAttempts: 0,
  });
  type Result = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    const result = await client.iterate({ query, variables }).next();
    return result.value as Result;
  } catch (errors) {
    // A document that does not parse or validate comes as an `error` message: the client throws its errors.
    if (Array.isArray(errors)) return { errors } as Result;
    throw errors;
  } finally {
    await client.dispose();
  }
};

describe('NEO4J_DATABASE and the generated reads', () => {
  const apps: TestApp[] = [];
  const tenant = uniqueTenant('db');
  const start = async (database: string) => {
    const app = await startTestApp({ NEO4J_DATABASE: database });
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });
  afterAll(async () => {
    const app = await startTestApp();
    await deleteTenants(app.bolt, tenant);
    await app.stop();
  });

  it('reads what the custom operations wrote when NEO4J_DATABASE names the database (neo4j)', async () => {
    const t = await start('neo4j');
    const created = await t.gql<{ createTask: { id: string } }>(
      'mutation { createTask(input: { description: "Stored in neo4j" }) { id } }',
      {},
      tenant,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data?.createTask.id;
    const read = await t.gql<{ tasks: { id: string }[] }>(readTasks, { id }, tenant);
    expect(read).toEqual({ data: { tasks: [{ id, description: 'Stored in neo4j' }] } });
    expect(await overWs(t, tenant, readTasks, { id })).toEqual({
      data: { tasks: [{ id, description: 'Stored in neo4j' }] },
    });
  });

  it('sends generated reads to the configured database: one that does not exist is a typed error naming it', async () => {
    const t = await start('nosuchdb');
    const read = await t.gql(readTasks, { id: 'aaaaaaaa' }, tenant);
    expect(read.data ?? null).toBeNull();
    expect(codesOf(read)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(read.errors?.[0]?.message).toBe('Neo4j database "nosuchdb" does not exist');
    expect(JSON.stringify(read)).not.toMatch(/stacktrace|at .*\.js/);

    const ws = await overWs(t, tenant, readTasks, { id: 'aaaaaaaa' });
    expect(ws.data ?? null).toBeNull();
    expect(ws.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(ws.errors?.[0]?.message).toBe('Neo4j database "nosuchdb" does not exist');
  });

  it('answers errors over graphql-ws with the same typed codes as over HTTP: bad input, and an invalid document', async () => {
    const t = await start('neo4j');
    const refused = await overWs(t, tenant, 'mutation { createTask(input: { description: "" }) { id } }', {});
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const invalid = await overWs(t, tenant, '{ noSuchField }', {});
    expect(invalid.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const paging = await overWs(t, tenant, 'query($n: Int) { tasks(limit: $n) { id } }', { n: -1 });
    expect(paging.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
