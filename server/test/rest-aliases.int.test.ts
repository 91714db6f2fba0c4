import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTasks, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

/** The seed's REST routes keep working as thin aliases over the GraphQL services. */
describe('REST aliases', () => {
  let t: TestApp;
  const tenant = uniqueTenant('rest');
  const headers = { 'content-type': 'application/json', 'x-tenant-id': tenant };
  const post = (body: string) => fetch(`${t.url}/task`, { method: 'POST', headers, body });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('reports Neo4j and Redis up and no budget before one exists on GET /', async () => {
    const response = await fetch(`${t.url}/`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      auth: 'development',
      neo4j: 'up',
      redis: 'up',
      budget_left: null,
    });
  });

  it('creates a task with POST /task and lists it in GET /backlog and GET /api/graph', async () => {
    const created = await post(JSON.stringify({ description: 'From a seed script', business_value: 3 }));
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string; business_value: number; status: string };
    expect(task).toMatchObject({ business_value: 3, status: 'todo', tenant_id: tenant, depends_on: [] });

    const backlog = (await (await fetch(`${t.url}/backlog`, { headers })).json()) as { id: string }[];
    expect(backlog.map((item) => item.id)).toContain(task.id);
    const graph = (await (await fetch(`${t.url}/api/graph`, { headers })).json()) as {
      nodes: { id: string }[];
      edges: unknown[];
    };
    expect(graph.nodes.map((node) => node.id)).toContain(task.id);
    expect(graph.edges).toEqual([]);
  });

  it.each([
    ['an empty description', JSON.stringify({ description: '' }), 400, 'BAD_USER_INPUT'],
    ['a non-finite business value', '{"description": "d", "business_value": 1e999}', 400, 'BAD_USER_INPUT'],
    ['malformed JSON', '{"description": ', 400, 'BAD_USER_INPUT'],
    ['an oversized body', JSON.stringify({ description: 'x'.repeat(3_000_000) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with an HTTP error and its code, writing nothing', async (_name, body, status, code) => {
    const before = await countTasks(t.bolt, tenant);
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code } });
    expect(await countTasks(t.bolt, tenant)).toBe(before);
  });

  it.each([
    ['a lone surrogate (escaped in the JSON)', '{"description": "a\\ud800b"}'],
    ['an ESC sequence', JSON.stringify({ description: '\u001b[31mred' })],
    ['NUL', JSON.stringify({ description: 'a\u0000b' })],
    ['a right-to-left override in the owner', JSON.stringify({ description: 'd', owner: 'dev\u202E' })],
    ['a business value of 1e308', '{"description": "d", "business_value": 1e308}'],
    ['planned tokens of 1e308', '{"description": "d", "tokens_plan": 1e308}'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([Buffer.from('{"description": "a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ],
  ])('answers %s with 400 BAD_USER_INPUT, writing nothing', async (_name, body) => {
    const before = await countTasks(t.bolt, tenant);
    const response = await fetch(`${t.url}/task`, { method: 'POST', headers, body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    expect(await countTasks(t.bolt, tenant)).toBe(before);
  });

  it('keeps newlines and tabs in a description as given', async () => {
    const response = await post(JSON.stringify({ description: 'first line\n\tsecond line' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ description: 'first line\n\tsecond line' });
  });

  it('refuses a request without a tenant when no default tenant is configured', async () => {
    const response = await fetch(`${t.url}/backlog`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });
});
