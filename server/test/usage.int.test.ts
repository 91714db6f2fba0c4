import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTenant, type Caller, forgetAdminKey, gqlAs, isolationAppSettings } from './isolation/as-tenant';
import { usagePeriod } from './isolation/usage-period';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

interface Row {
  day: string | null;
  role: string | null;
  goalId: string | null;
  goalText: string | null;
  jobs: number;
  tokens: number;
  usd: number;
  microUsd: string;
}
interface Statement {
  rows: Row[];
  jobs: number;
  totalTokens: number;
  totalUsd: number;
  totalMicroUsd: string;
  ledgerMicroUsd: string;
  balanced: boolean;
}

const statementQuery = `query($from: DateTime!, $to: DateTime!, $groupBy: [UsageGroup!]!) {
  usage(from: $from, to: $to, groupBy: $groupBy) {
    from to groupBy rows { day role goalId goalText jobs tokens usd microUsd }
    jobs totalTokens totalUsd totalMicroUsd ledgerMicroUsd balanced
  }
}`;

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks; lines end in CRLF. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    i += 1;
    if (quoted && char === '"' && next === '"') {
      cell += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\r' && next === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += char;
    }
  }
  return rows;
};

const usdOf = (microUsd: string): string => (Number(microUsd) / 1e6).toFixed(6);

describe('usage statements over GraphQL and CSV', () => {
  let t: TestApp;
  let owner: Caller;
  let viewer: Record<string, string>;
  const tenant = uniqueTenant('usage');
  const goalTexts = ['=HYPERLINK("http://evil") first goal', 'second goal, with "quotes"'];

  beforeAll(async () => {
    t = await startTestApp(isolationAppSettings);
    owner = await asTenant(t, tenant);
    const key = await gqlAs<{ createApiKey: { secret: string } }>(
      t,
      owner,
      'mutation { createApiKey(name: "viewer", role: viewer) { secret } }',
    );
    viewer = { authorization: `Bearer ${key.data?.createApiKey.secret}` };
    const goals: string[] = [];
    for (const text of goalTexts) {
      const goal = await gqlAs<{ setGoal: { id: string } }>(
        t,
        owner,
        'mutation($t: String!) { setGoal(text: $t) { id } }',
        {
          t: text,
        },
      );
      goals.push(goal.data?.setGoal.id ?? '');
    }
    const tasks: string[] = [];
    for (const owner_ of ['dev', 'qa']) {
      const task = await gqlAs<{ createTask: { id: string } }>(
        t,
        owner,
        'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
        { input: { description: `a ${owner_} task`, owner: owner_ } },
      );
      tasks.push(task.data?.createTask.id ?? '');
    }
    const { budget } = t.app.services;
    await budget.topUp(tenant, 10_000_000);
    const charges: [string, number, Parameters<typeof budget.settle>[3], boolean][] = [
      [`goal.${goals[0]}`, 1_234_567, { tokens: 2_469, goalId: goals[0], role: 'planning' }, true],
      [`goal.${goals[1]}`, 700, { tokens: 1_400, goalId: goals[1], role: 'planning' }, false],
      [`${tasks[0]}.1.step0`, 333, { tokens: 666, taskId: tasks[0], role: 'dev' }, true],
      [`${tasks[0]}.1.step1`, 1, { tokens: 2, taskId: tasks[0], role: 'dev' }, false],
      [`${tasks[1]}.1`, 45_000, { tokens: 90_000, taskId: tasks[1], role: 'qa' }, false],
    ];
    for (const [jobId, microUsd, details, yesterday] of charges) {
      await budget.reserve(tenant, jobId, microUsd);
      await budget.settle(tenant, jobId, microUsd, details);
      if (yesterday) {
        await t.bolt.executeQuery(
          'MATCH (e:LedgerEntry {id: $id}) SET e.createdAt = e.createdAt - duration({days: 1})',
          { id: `${tenant}/settle/${jobId}` },
        );
      }
    }
    await budget.reserve(tenant, `${tasks[1]}.2`, 9_999); // open: no charge
  });

  afterAll(async () => {
    await forgetAdminKey(t);
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  const graphql = async (groupBy: string[], headers: Record<string, string> = viewer) => {
    const response = await t.gql<{ usage: Statement }>(statementQuery, { ...usagePeriod, groupBy }, null, headers);
    expect(response.errors).toBeUndefined();
    return response.data?.usage as Statement;
  };
  const csv = (query: string, headers: Record<string, string> = viewer) =>
    fetch(`${t.url}/usage.csv?${query}`, { headers });

  it('gives a viewer the statement, adding up to the ledger to the micro-USD', async () => {
    const statement = await graphql(['DAY', 'ROLE']);
    expect(statement).toMatchObject({ jobs: 5, totalMicroUsd: '1280601', ledgerMicroUsd: '1280601', balanced: true });
    expect(statement.totalTokens).toBe(2_469 + 1_400 + 666 + 2 + 90_000);
    expect(statement.totalUsd).toBeCloseTo(1.280601, 9);
    expect(statement.rows.map((row) => row.role)).toEqual(['dev', 'planning', 'dev', 'planning', 'qa']);
    const days = [...new Set(statement.rows.map((row) => row.day))];
    expect(days).toHaveLength(2);
    expect(days).toEqual([...days].sort());
  });

  it('serves the same statement as CSV, rows and total, for each grouping', async () => {
    for (const groupBy of [['DAY'], ['ROLE', 'DAY'], ['GOAL'], ['GOAL', 'ROLE', 'DAY']]) {
      const statement = await graphql(groupBy);
      const query = `from=${usagePeriod.from}&to=${usagePeriod.to}&groupBy=${groupBy.join(',').toLowerCase()}`;
      const response = await csv(query);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="usage-${usagePeriod.from}-${usagePeriod.to}.csv"`,
      );
      const [header, ...lines] = parseCsv(await response.text());
      const keyColumns = groupBy.flatMap((group) => (group === 'GOAL' ? ['goal_id', 'goal'] : [group.toLowerCase()]));
      expect(header).toEqual([...keyColumns, 'jobs', 'tokens', 'usd', 'micro_usd']);
      const keysOf = (row: Row) =>
        groupBy.flatMap((group) => {
          if (group === 'GOAL')
            return [row.goalId ?? '', row.goalText?.startsWith('=') ? `'${row.goalText}` : (row.goalText ?? '')];
          return [(group === 'DAY' ? row.day : row.role) ?? ''];
        });
      const expected = statement.rows.map((row) => [
        ...keysOf(row),
        String(row.jobs),
        String(row.tokens),
        usdOf(row.microUsd),
        row.microUsd,
      ]);
      const total = [
        ...keyColumns.map((_, index) => (index === 0 ? 'total' : '')),
        String(statement.jobs),
        String(statement.totalTokens),
        usdOf(statement.totalMicroUsd),
        statement.totalMicroUsd,
      ];
      expect(lines, groupBy.join()).toEqual([...expected, total]);
    }
  });

  it('writes a goal text that starts a formula as inert text', async () => {
    const text = await (await csv(`from=${usagePeriod.from}&to=${usagePeriod.to}&groupBy=goal`)).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil"") first goal"`);
    expect(text).toContain('"second goal, with ""quotes"""');
    expect(text).not.toMatch(/(^|,)=/m);
  });

  it('refuses bad periods and groupings with BAD_USER_INPUT, over GraphQL and REST', async () => {
    const bad = [
      { from: usagePeriod.to, to: usagePeriod.from, groupBy: ['DAY'] },
      { from: '2020-01-01', to: '2021-01-02', groupBy: ['DAY'] },
      { ...usagePeriod, groupBy: ['ROLE', 'ROLE'] },
      { from: '2025-02-30', to: usagePeriod.to, groupBy: ['DAY'] },
    ];
    for (const variables of bad) {
      expect(codesOf(await t.gql(statementQuery, variables, null, viewer)), JSON.stringify(variables)).toEqual([
        'BAD_USER_INPUT',
      ]);
      const query = `from=${variables.from}&to=${variables.to}&groupBy=${variables.groupBy.join(',')}`;
      const response = await csv(query);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
    }
    for (const query of [`from=${usagePeriod.from}`, `from=${usagePeriod.from}&to=${usagePeriod.to}&groupBy=week`]) {
      expect((await csv(query)).status).toBe(400);
    }
  });

  it('answers an anonymous caller UNAUTHENTICATED', async () => {
    expect(codesOf(await t.gql(statementQuery, { ...usagePeriod, groupBy: ['DAY'] }, null, {}))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await csv(`from=${usagePeriod.from}&to=${usagePeriod.to}`, {})).status).toBe(401);
  });
});
