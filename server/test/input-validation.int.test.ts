import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codesOf,
  countTasks,
  deleteTenants,
  type GraphQLResponse,
  startTestApp,
  type TestApp,
  uniqueTenant,
} from './test-app';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/** Bad input gets a typed error and writes nothing. */
describe('input validation', () => {
  let t: TestApp;
  const tenant = uniqueTenant('val');
  /** Another tenant, whose requests must not suffer from this tenant's bad input. */
  const other = uniqueTenant('val-o');
  let existing: string;
  let othersTask: string;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.gql<{ createTask: { id: string } }>(createTask, { input: { description: 'exists' } }, tenant);
    existing = res.data?.createTask.id as string;
    const others = await t.gql<{ createTask: { id: string } }>(createTask, { input: { description: 'other' } }, other);
    othersTask = others.data?.createTask.id as string;
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant, other);
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

  const createPlan = 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } edgeCount } }';
  /** The one typed code expected, and never a masked internal error. */
  const expectRefused = (response: GraphQLResponse<unknown>, code = 'BAD_USER_INPUT') => {
    expect(codesOf(response)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(codesOf(response)).toEqual([code]);
    expect(response.errors?.[0]?.message).not.toMatch(/\n\s+at /);
  };
  const countStored = async (label: 'Goal' | 'Webhook') => {
    const { records } = await t.bolt.executeQuery(`MATCH (n:${label} {tenantId: $tenant}) RETURN count(n) AS n`, {
      tenant,
    });
    return Number(records[0]?.get('n'));
  };

  describe('plan keys named like Object.prototype members', () => {
    it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
      'refuses a dependency on "%s" (neither a key of the plan nor a task id) with BAD_USER_INPUT, writes nothing, and the next request of another tenant succeeds',
      async (name) => {
        const before = await countTasks(t.bolt, tenant);
        const res = await t.gql(
          createPlan,
          { input: { tasks: [{ key: 'a', description: 'a' }], dependencies: [{ from: 'a', to: name }] } },
          tenant,
        );
        expectRefused(res);
        expect(res.errors?.[0]?.message).toContain(name);
        expect(res.errors?.[0]?.message).not.toContain('[object Object]');
        const next = await t.gql<{ tasks: { id: string }[] }>('{ tasks { id } }', {}, other);
        expect(next.errors).toBeUndefined();
        expect(next.data?.tasks).toEqual([{ id: othersTask }]);
        expect(await countTasks(t.bolt, tenant)).toBe(before);
      },
    );

    it('writes a plan whose keys are named like Object.prototype members, with exactly the edges it names', async () => {
      const keys = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];
      const res = await t.gql<{ createPlan: { tasks: { key: string; id: string }[]; edgeCount: number } }>(
        createPlan,
        {
          input: {
            tasks: keys.map((key) => ({ key, description: `task ${key}` })),
            dependencies: [
              { from: 'constructor', to: 'toString' },
              { from: 'toString', to: 'hasOwnProperty' },
              { from: 'hasOwnProperty', to: '__proto__' },
            ],
          },
        },
        tenant,
      );
      expect(res.errors).toBeUndefined();
      const ids = new Map(res.data?.createPlan.tasks.map(({ key, id }) => [key, id]));
      expect([...ids.keys()].sort()).toEqual([...keys].sort());
      expect(res.data?.createPlan.edgeCount).toBe(3);
      const { records } = await t.bolt.executeQuery(
        `MATCH (t:Task {tenantId: $tenant})-[:DEPENDS_ON]->(d:Task) WHERE t.id IN $ids
         RETURN t.description AS from, d.description AS to`,
        { tenant, ids: [...ids.values()] },
      );
      expect(records.map((r) => `${r.get('from')} > ${r.get('to')}`).sort()).toEqual([
        'task constructor > task toString',
        'task hasOwnProperty > task __proto__',
        'task toString > task hasOwnProperty',
      ]);
    });
  });

  describe('numbers and paging', () => {
    it.each([
      ['a business value of 1e308', { description: 'd', businessValue: 1e308 }],
      ['planned tokens of 1e308', { description: 'd', tokensPlan: 1e308 }],
      ['a business value above 1,000,000', { description: 'd', businessValue: 1_000_001 }],
      ['planned tokens above 1,000,000 (thousands)', { description: 'd', tokensPlan: 1_000_001 }],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, input) => {
      const before = await countTasks(t.bolt, tenant);
      expectRefused(await t.gql(createTask, { input }, tenant));
      expect(await countTasks(t.bolt, tenant)).toBe(before);
    });

    it('refuses a plan with huge numbers, writing nothing, and inspection and forecast keep answering', async () => {
      const before = await countTasks(t.bolt, tenant);
      const res = await t.gql(
        createPlan,
        {
          input: {
            tasks: [
              { key: 'a', description: 'a', tokensPlan: 1e308, businessValue: 1e308 },
              { key: 'b', description: 'b', tokensPlan: 1e308 },
            ],
            dependencies: [{ from: 'b', to: 'a' }],
          },
        },
        tenant,
      );
      expectRefused(res);
      expect(await countTasks(t.bolt, tenant)).toBe(before);
      const atTheLimit = await t.gql(
        createTask,
        { input: { description: 'at the limit', businessValue: 1_000_000, tokensPlan: 1_000_000 } },
        tenant,
      );
      expect(atTheLimit.errors).toBeUndefined();
      const inspection = await t.gql(
        '{ inspection { total criticalPathTokens } budgetForecast { costToFinishUsd } }',
        {},
        tenant,
      );
      expect(inspection.errors).toBeUndefined();
    });

    const cursorAt = (offset: string) => Buffer.from(`arrayconnection:${offset}`).toString('base64');
    it.each([
      ['a negative limit', '{ tasks(limit: -1) { id } }'],
      ['a limit of 0', '{ tasks(limit: 0) { id } }'],
      ['a limit above 10,000', '{ tasks(limit: 10001) { id } }'],
      ['a negative offset', '{ tasks(offset: -5) { id } }'],
      ['an offset above 1,000,000', '{ tasks(offset: 1000001) { id } }'],
      ['a negative first', '{ tasksConnection(first: -1) { totalCount } }'],
      ['a negative limit on a relationship field', '{ tasks { id dependsOn(limit: -1) { id } } }'],
      ['a negative limit on goals', '{ goals(limit: -1) { id } }'],
      [
        'a cursor far past any offset',
        `{ tasksConnection(first: 1, after: "${cursorAt('99999999999999999999')}") { totalCount } }`,
      ],
      ['a cursor with a negative offset', `{ tasksConnection(first: 1, after: "${cursorAt('-5')}") { totalCount } }`],
      ['a cursor the API never made', '{ tasksConnection(first: 1, after: "nope") { totalCount } }'],
      ['an impossible date', '{ tasks(where: { createdAt: { gt: "2024-02-30T00:00:00Z" } }) { id } }'],
      ['month 13', '{ tasks(where: { createdAt: { gt: "2024-13-01T00:00:00Z" } }) { id } }'],
      ['a date that is no date', '{ tasks(where: { createdAt: { gt: "garbage" } }) { id } }'],
      [
        'an impossible date in a list',
        '{ tasks(where: { createdAt: { in: ["2024-05-01T00:00:00Z", "2024-02-31"] } }) { id } }',
      ],
      ['an impossible date in a deprecated filter', '{ tasks(where: { createdAt_GT: "2024-02-31" }) { id } }'],
      [
        'an impossible date in a relationship filter',
        '{ tasks(where: { dependsOn: { some: { createdAt: { lt: "2024-04-31" } } } }) { id } }',
      ],
      [
        'an impossible date on a nested field',
        '{ tasks { id artifacts(where: { createdAt: { gt: "2024-02-30" } }) { id } } }',
      ],
    ])('refuses %s in a generated read with BAD_USER_INPUT', async (_name, query) => {
      expectRefused(await t.gql(query, {}, tenant));
    });

    it('refuses bad paging and dates passed as variables too', async () => {
      expectRefused(await t.gql('query($limit: Int) { tasks(limit: $limit) { id } }', { limit: -1 }, tenant));
      expectRefused(
        await t.gql('query($first: Int) { tasksConnection(first: $first) { totalCount } }', { first: -1 }, tenant),
      );
      expectRefused(
        await t.gql(
          'query($at: DateTime) { tasks(where: { createdAt: { gt: $at } }) { id } }',
          { at: '2024-02-30T00:00:00Z' },
          tenant,
        ),
      );
      expectRefused(
        await t.gql(
          'query($where: TaskWhere) { tasks(where: $where) { id } }',
          {
            where: { createdAt: { lt: '2024-02-30' } },
          },
          tenant,
        ),
      );
    });

    it('still answers valid paging, cursors and dates', async () => {
      const page = await t.gql<{ tasksConnection: { edges: { cursor: string; node: { id: string } }[] } }>(
        '{ tasksConnection(first: 1, sort: [{ createdAt: ASC }]) { edges { cursor node { id } } } }',
        {},
        tenant,
      );
      expect(page.errors).toBeUndefined();
      const cursor = page.data?.tasksConnection.edges[0]?.cursor;
      const next = await t.gql<{ tasksConnection: { edges: { node: { id: string } }[] } }>(
        'query($after: String) { tasksConnection(first: 1, after: $after, sort: [{ createdAt: ASC }]) { edges { node { id } } } }',
        { after: cursor },
        tenant,
      );
      expect(next.errors).toBeUndefined();
      expect(next.data?.tasksConnection.edges).toHaveLength(1);
      const reads = await t.gql(
        `{
          a: tasks(limit: 10000, offset: 0, where: { createdAt: { gt: "2024-05-01" } }) { id }
          b: tasks(offset: 1000000, where: { createdAt: { lt: "2999-12-31T23:59:59.999+02:00" } }) { id }
          c: tasks(where: { createdAt: { gte: "2024-02-29T10:00Z", lte: "9999-12-31T23:59:59.123456789Z" } }) { id }
        }`,
        {},
        tenant,
      );
      expect(reads.errors).toBeUndefined();
    });
  });

  describe('text', () => {
    it.each([
      ['NUL', 'a\u0000b'],
      ['an ESC sequence', '\u001b[31mred\u001b[0m'],
      ['a right-to-left override', 'abc\u202Edcba'],
      ['a lone high surrogate', 'a\uD800b'],
      ['a lone low surrogate', 'a\uDC00b'],
      ['DEL', 'a\u007Fb'],
      ['a C1 control (CSI)', 'a\u009B31mb'],
    ])(
      'refuses %s in a task description, an owner, a plan, a goal and a webhook URL with BAD_USER_INPUT, storing nothing',
      async (_name, text) => {
        const tasksBefore = await countTasks(t.bolt, tenant);
        const goalsBefore = await countStored('Goal');
        const webhooksBefore = await countStored('Webhook');
        const responses = [
          await t.gql(createTask, { input: { description: text } }, tenant),
          await t.gql(createTask, { input: { description: 'd', owner: text } }, tenant),
          await t.gql(createPlan, { input: { tasks: [{ key: 'k', description: text }] } }, tenant),
          await t.gql(createPlan, { input: { tasks: [{ key: text, description: 'd' }] } }, tenant),
          await t.gql('mutation($text: String!) { setGoal(text: $text) { id } }', { text }, tenant),
          await t.gql(
            'mutation($input: AddWebhookInput!) { addWebhook(input: $input) { id } }',
            { input: { channel: 'SLACK', url: `https://hooks.slack.com/services/T0/B0/${text}` } },
            tenant,
          ),
        ];
        for (const response of responses) expectRefused(response);
        expect(await countTasks(t.bolt, tenant)).toBe(tasksBefore);
        expect(await countStored('Goal')).toBe(goalsBefore);
        expect(await countStored('Webhook')).toBe(webhooksBefore);
      },
    );

    it('keeps newlines, tabs and ordinary non-ASCII text (emoji, right-to-left script) as given', async () => {
      const text = 'Line one\n\tindented line two — café 👩‍💻 שלום';
      const task = await t.gql<{ createTask: { description: string } }>(
        'mutation($input: CreateTaskInput!) { createTask(input: $input) { description } }',
        { input: { description: text } },
        tenant,
      );
      expect(task.errors).toBeUndefined();
      expect(task.data?.createTask.description).toBe(text);
      const goal = await t.gql<{ setGoal: { text: string } }>(
        'mutation($text: String!) { setGoal(text: $text) { text } }',
        { text },
        tenant,
      );
      expect(goal.errors).toBeUndefined();
      expect(goal.data?.setGoal.text).toBe(text);
    });

    it('refuses a request body that is not valid UTF-8 instead of replacing its bytes', async () => {
      const before = await countTasks(t.bolt, tenant);
      const [head, tail] = JSON.stringify({ query: createTask, variables: { input: { description: 'a@b' } } }).split(
        '@',
      );
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
        // 0xED 0xA0 0x80 is a UTF-16 surrogate encoded as if it were a character: not UTF-8.
        body: Buffer.concat([
          Buffer.from(head as string),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from(tail as string),
        ]),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
      expect(await countTasks(t.bolt, tenant)).toBe(before);
    });
  });
});
