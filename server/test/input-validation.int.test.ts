import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, countTasks, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/** Bad input gets a typed error and writes nothing. */
describe('input validation', () => {
  let t: TestApp;
  const tenant = uniqueTenant('val');
  let existing: string;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.gql<{ createTask: { id: string } }>(createTask, { input: { description: 'exists' } }, tenant);
    existing = res.data?.createTask.id as string;
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it.each([
    ['an empty description', { description: '   ' }, 'BAD_USER_INPUT'],
    ['an oversized description', { description: 'x'.repeat(10_001) }, 'BAD_USER_INPUT'],
    ['a negative business value', { description: 'd', businessValue: -1 }, 'BAD_USER_INPUT'],
    ['negative planned tokens', { description: 'd', tokensPlan: -0.5 }, 'BAD_USER_INPUT'],
    ['a relevance above 1', { description: 'd', purposeRelevance: 1.5 }, 'BAD_USER_INPUT'],
    ['a relevance below 0', { description: 'd', purposeRelevance: -0.1 }, 'BAD_USER_INPUT'],
    ['a malformed dependency id', { description: 'd', dependsOn: ['nope'] }, 'BAD_USER_INPUT'],
    ['a dependency on a missing task', { description: 'd', dependsOn: ['zzzzzzzz'] }, 'NOT_FOUND'],
    ['a number where a string belongs', { description: 42 }, 'BAD_USER_INPUT'],
  ])('refuses %s and writes nothing', async (_name, input, code) => {
    const before = await countTasks(t.bolt, tenant);
    const res = await t.gql(createTask, { input }, tenant);
    expect(codesOf(res)).toEqual([code]);
    expect(res.errors?.[0]?.message).not.toMatch(/\n\s+at /);
    expect(await countTasks(t.bolt, tenant)).toBe(before);
  });

  it('refuses a non-finite number literal with a typed error', async () => {
    const res = await t.gql(
      'mutation { createTask(input: { description: "d", businessValue: 1e999 }) { id } }',
      {},
      tenant,
    );
    expect(codesOf(res)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(codesOf(res)[0]).toBeDefined();
    expect(await countTasks(t.bolt, tenant)).toBe(1);
  });

  it('refuses a plan with a dependency on an unknown key or a missing task, writing nothing', async () => {
    const plan = 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { edgeCount } }';
    const unknownKey = await t.gql(
      plan,
      { input: { tasks: [{ key: 'a', description: 'a' }], dependencies: [{ from: 'b', to: 'a' }] } },
      tenant,
    );
    const missingTask = await t.gql(
      plan,
      { input: { tasks: [{ key: 'a', description: 'a' }], dependencies: [{ from: 'a', to: 'zzzzzzzz' }] } },
      tenant,
    );
    const withExisting = await t.gql(
      plan,
      { input: { tasks: [{ key: 'a', description: 'a' }], dependencies: [{ from: 'a', to: existing }] } },
      tenant,
    );
    expect(codesOf(unknownKey)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(missingTask)).toEqual(['NOT_FOUND']);
    expect(withExisting.errors).toBeUndefined();
    expect(await countTasks(t.bolt, tenant)).toBe(2);
  });

  it('answers a query that does not parse or validate with its own code, not a stack trace', async () => {
    const parse = await t.gql('{ backlog { id ', {}, tenant);
    const validation = await t.gql('{ backlog { nope } }', {}, tenant);
    expect(codesOf(parse)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codesOf(validation)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('answers an oversized request body with PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
      body: JSON.stringify({ query: createTask, variables: { input: { description: 'x'.repeat(3_000_000) } } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });
});
