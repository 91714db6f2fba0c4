import { loadConfig } from '@ai-org/core';
import { startTcpProxy, type TcpProxy } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/**
 * How long the API gets to recover once a service is back (the clients reconnect on their own, with
 * backoff): it is usually back within a second or two.
 */
const recovery = { timeout: 15_000, interval: 250 };

/** Neo4j or Redis going away: requests fail fast with SERVICE_UNAVAILABLE and recover by themselves. */
describe('backing services down and back', () => {
  const real = loadConfig(process.env);
  const neo4jAddress = new URL(real.neo4j.uri.replace(/^[a-z+]+:/, 'http:'));
  const redisAddress = new URL(real.redis.url);
  const tenant = uniqueTenant('outage');
  let neo4jProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    neo4jProxy = await startTcpProxy(neo4jAddress.hostname, Number(neo4jAddress.port || 7687));
    redisProxy = await startTcpProxy(redisAddress.hostname, Number(redisAddress.port || 6379));
    t = await startTestApp({
      NEO4J_URI: `bolt://127.0.0.1:${neo4jProxy.port}`,
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
    });
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
    await neo4jProxy.close();
    await redisProxy.close();
  });

  const health = async () => {
    const response = await fetch(`${t.url}/`, { headers: { 'x-tenant-id': tenant } });
    return { status: response.status, body: (await response.json()) as { neo4j: string; redis: string } };
  };

  it('answers SERVICE_UNAVAILABLE while Neo4j is down, then works again when it returns', async () => {
    expect((await t.gql(createTask, { input: { description: 'before' } }, tenant)).errors).toBeUndefined();

    await neo4jProxy.down();
    const during = await t.gql(createTask, { input: { description: 'during' } }, tenant);
    expect(codesOf(during)).toEqual(['SERVICE_UNAVAILABLE']);
    const generated = await t.gql('{ tasks { id } }', {}, tenant);
    expect(codesOf(generated)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(await health()).toMatchObject({ status: 503, body: { neo4j: 'down', redis: 'up' } });

    await neo4jProxy.up();
    // Each attempt that fails creates nothing; polling stops at the first that succeeds.
    await expect
      .poll(async () => (await t.gql(createTask, { input: { description: 'after' } }, tenant)).errors, recovery)
      .toBeUndefined();
    const { records } = await t.bolt.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.description AS d ORDER BY d',
      { tenant },
    );
    expect(records.map((record) => record.get('d'))).toEqual(['after', 'before']);
  });

  it('reports Redis down in the health check and up again once it returns', async () => {
    await redisProxy.down();
    expect(await health()).toMatchObject({ status: 503, body: { neo4j: 'up', redis: 'down' } });

    // The budget gate needs Redis: dispatch fails fast and leaves the task as it was.
    const created = await t.gql<{ createTask: { id: string } }>(
      createTask,
      {
        input: { description: 'dispatch me', owner: 'dev', tokensPlan: 1 },
      },
      tenant,
    );
    const id = created.data?.createTask.id;
    const dispatched = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', { id }, tenant);
    expect(codesOf(dispatched)).toEqual(['SERVICE_UNAVAILABLE']);
    const { records } = await t.bolt.executeQuery('MATCH (t:Task {id: $id}) RETURN t.status AS s', { id });
    expect(records[0]?.get('s')).toBe('todo');

    await redisProxy.up();
    await expect.poll(health, recovery).toMatchObject({ status: 200, body: { neo4j: 'up', redis: 'up' } });
  });
});
