import { eventsSubscription } from '@ai-org/testing';
import { expect } from 'vitest';
import type { Fixture, TenantWorld } from './fixture';
import { usagePeriod } from './usage-period';

/** One GraphQL call tenant B makes. `admin`: with budget administration rights (for B's own tenant). */
export interface Call {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly admin?: boolean;
  /** The error code B must get, or null when the call succeeds (acting on B's own data only). */
  readonly code?: string | null;
}

/** The same call with an id of A's and with an unused id: both must answer alike. */
export interface IdProbe {
  readonly name: string;
  /** `fx` supplies B's own ids for the other arguments. */
  readonly call: (id: string, fx: Fixture) => Call;
  readonly foreign: (fx: Fixture) => string;
  readonly missing: (fx: Fixture) => string;
}

interface CaseBase {
  /** A's data the case aims at. */
  readonly targets: string;
  /** What "nothing of A" means for this field. */
  readonly nothingOfA: string;
  readonly idProbes?: readonly IdProbe[];
}

export interface QueryCase extends CaseBase {
  readonly kind: 'query';
  readonly asB: (fx: Fixture) => Call;
  readonly expectForB: (data: Record<string, unknown>, fx: Fixture) => void;
}

export interface MutationCase extends CaseBase {
  readonly kind: 'mutation';
  /** B's attempts at A's data; afterwards A's data, read back as A and by Cypher, must be unchanged. */
  readonly attacks: (fx: Fixture) => readonly Call[];
}

export interface SubscriptionCase extends CaseBase {
  readonly kind: 'subscription';
  /** Run by live.int.test.ts: B's socket while A's tasks, budget and goals change. */
  readonly document: string;
}

export type IsolationCase = QueryCase | MutationCase | SubscriptionCase;

type Rows = readonly { readonly tenantId?: string; readonly id?: string }[];

const rowsOf = (data: Record<string, unknown>, key: string): Rows => (data[key] ?? []) as Rows;
const onlyB = (rows: Rows, fx: Fixture) =>
  expect(rows.map((row) => row.tenantId ?? fx.b.tenantId)).not.toContain(fx.a.tenantId);
const allOf = (world: TenantWorld) => Object.values(world.tasks);
const numberAt = (data: Record<string, unknown>, path: string): number =>
  Number(path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], data));

/** A generated read: everything of the type, and the one of A's named by id (which must be absent). */
const generatedList = (field: string, fields: string, aId: (fx: Fixture) => string): QueryCase => ({
  kind: 'query',
  targets: `A's ${field}`,
  nothingOfA: "B's own rows only; A's row by id is []",
  asB: (fx) => ({
    query: `query($id: ID!) { all: ${field} { ${fields} } one: ${field}(where: { id: { eq: $id } }) { id } }`,
    variables: { id: aId(fx) },
  }),
  expectForB: (data, fx) => {
    onlyB(rowsOf(data, 'all'), fx);
    expect(rowsOf(data, 'one')).toEqual([]);
  },
  idProbes: [
    {
      name: `${field} where id`,
      call: (id) => ({ query: `query($id: ID!) { ${field}(where: { id: { eq: $id } }) { id } }`, variables: { id } }),
      foreign: aId,
      missing: (fx) => fx.missing.taskId,
    },
  ],
});

/** A generated connection: totals and aggregates count B's rows only. */
const generatedConnection = (
  field: string,
  aId: (fx: Fixture) => string,
  bCount: (fx: Fixture) => number | undefined,
): QueryCase => ({
  kind: 'query',
  targets: `A's ${field.replace('Connection', '')}`,
  nothingOfA: "totalCount and aggregate count B's rows only; A's row by id counts 0",
  asB: (fx) => ({
    query: `query($id: ID!) {
      all: ${field} { totalCount aggregate { count { nodes } } edges { node { id } } }
      one: ${field}(where: { id: { eq: $id } }) { totalCount aggregate { count { nodes } } }
    }`,
    variables: { id: aId(fx) },
  }),
  expectForB: (data, fx) => {
    const expected = bCount(fx);
    if (expected !== undefined) {
      expect(numberAt(data, 'all.totalCount')).toBe(expected);
      expect(numberAt(data, 'all.aggregate.count.nodes')).toBe(expected);
    }
    expect(numberAt(data, 'one.totalCount')).toBe(0);
    expect(numberAt(data, 'one.aggregate.count.nodes')).toBe(0);
  },
  idProbes: [
    {
      name: `${field} where id`,
      call: (id) => ({
        query: `query($id: ID!) { ${field}(where: { id: { eq: $id } }) { totalCount aggregate { count { nodes } } } }`,
        variables: { id },
      }),
      foreign: aId,
      missing: (fx) => fx.missing.taskId,
    },
  ],
});

/** B's tasks: the four its fixture created. */
const bTaskCount = (fx: Fixture) => allOf(fx.b).length;
const taskIdProbe = (name: string, call: IdProbe['call']): IdProbe => ({
  name,
  call,
  foreign: (fx) => fx.a.tasks.root,
  missing: (fx) => fx.missing.taskId,
});
const webhookIdProbe = (name: string, call: IdProbe['call']): IdProbe => ({
  name,
  call,
  foreign: (fx) => fx.a.webhookId,
  missing: (fx) => fx.missing.webhookId,
});
const budgetFields = 'leftUsd reservedUsd spentUsd fundedUsd';
const budgetOfB = (budget: unknown, fx: Fixture) =>
  expect((budget as { fundedUsd: number }).fundedUsd).toBeLessThan(fx.a.fundUsd - 5);

const addDependency = 'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id dependsOnIds } }';
const removeDependency =
  'mutation($t: ID!, $d: ID!) { removeDependency(taskId: $t, dependsOnId: $d) { removed task { id } } }';
const setStatus = 'mutation($id: ID!, $s: TaskStatus!) { setTaskStatus(id: $id, status: $s) { id status } }';
const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const createPlan = 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { id } edgeCount } }';
const setBudget = 'mutation($usd: Float!, $tenant: ID) { setBudget(amountUsd: $usd, tenantId: $tenant) { leftUsd } }';
const topUpBudget =
  'mutation($usd: Float!, $tenant: ID) { topUpBudget(amountUsd: $usd, tenantId: $tenant) { leftUsd } }';
const revokeApiKey = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const setSpendApproval = 'mutation($usd: Float) { setSpendApproval(thresholdUsd: $usd) { thresholdUsd } }';
const approvePlan = 'mutation($g: ID!, $h: String!) { approvePlan(goalId: $g, planHash: $h) { goalId state } }';
const rejectPlan = 'mutation($g: ID!) { rejectPlan(goalId: $g) { goalId state } }';
const setTenantLimits =
  'mutation($m: Int, $t: Int) { setTenantLimits(maxRunningJobs: $m, tokensPerMinute: $t) { maxRunningJobs tokensPerMinute } }';
const createTenant = 'mutation($id: ID!) { createTenant(id: $id) { tenantId } }';
const tenantIdProbe = (name: string, call: IdProbe['call']): IdProbe => ({
  name,
  call,
  foreign: (fx) => fx.a.tenantId,
  missing: (fx) => fx.missing.tenantId,
});
const planNaming = (id: string) => ({
  input: { tasks: [{ key: 'k', description: 'plan of B' }], dependencies: [{ from: 'k', to: id }] },
});

/**
 * Every root field of the schema and how tenant B is turned against tenant A's data through it. The
 * keys must equal the schema's root fields (cases.test.ts): a new field without a case fails.
 */
export const isolationCases: Readonly<Record<string, IsolationCase>> = {
  // ── Queries ─────────────────────────────────────────────────────────────────────────────────────
  artifacts: generatedList('artifacts', 'id tenantId content task { id tenantId }', (fx) => fx.a.artifactId),
  artifactsConnection: generatedConnection(
    'artifactsConnection',
    (fx) => fx.a.artifactId,
    () => 1,
  ),
  tasks: generatedList(
    'tasks',
    'id tenantId dependsOn { id tenantId } dependents { id tenantId } artifacts { id tenantId }',
    (fx) => fx.a.tasks.root,
  ),
  tasksConnection: generatedConnection('tasksConnection', (fx) => fx.a.tasks.root, bTaskCount),
  goals: generatedList('goals', 'id tenantId text', (fx) => fx.a.goalId),
  goalsConnection: generatedConnection(
    'goalsConnection',
    (fx) => fx.a.goalId,
    () => 1,
  ),
  ledgerEntries: generatedList('ledgerEntries', 'id tenantId kind amountMicroUsd', (fx) => fx.a.ledgerId),
  ledgerEntriesConnection: generatedConnection(
    'ledgerEntriesConnection',
    (fx) => fx.a.ledgerId,
    () => undefined,
  ),
  tenants: generatedList('tenants', 'id name tasks { id tenantId }', (fx) => fx.a.tenantId),
  tenantsConnection: generatedConnection(
    'tenantsConnection',
    (fx) => fx.a.tenantId,
    () => 1,
  ),
  backlog: {
    kind: 'query',
    targets: "A's todo tasks",
    nothingOfA: "only B's tasks",
    asB: () => ({ query: '{ backlog(limit: 500) { id tenantId dependsOnIds } }' }),
    expectForB: (data, fx) => onlyB(rowsOf(data, 'backlog'), fx),
  },
  taskGraph: {
    kind: 'query',
    targets: "A's tasks and dependency edges",
    nothingOfA: "B's nodes and edges only",
    asB: () => ({ query: '{ taskGraph { nodes { id tenantId } edges { from to } } }' }),
    expectForB: (data, fx) => {
      const graph = data.taskGraph as { nodes: Rows; edges: { from: string; to: string }[] };
      expect(graph.nodes.map((node) => node.id).sort()).toEqual(allOf(fx.b).sort());
      for (const edge of graph.edges) expect(allOf(fx.b)).toEqual(expect.arrayContaining([edge.from, edge.to]));
    },
  },
  inspection: {
    kind: 'query',
    targets: "A's task graph figures",
    nothingOfA: "totals of B's tasks only",
    asB: () => ({ query: '{ inspection { total done running ready remainingTokens criticalPathTaskIds } }' }),
    expectForB: (data, fx) => {
      const inspection = data.inspection as { total: number; criticalPathTaskIds: string[] };
      expect(inspection.total).toBe(allOf(fx.b).length);
      for (const id of inspection.criticalPathTaskIds) expect(allOf(fx.b)).toContain(id);
    },
  },
  budget: {
    kind: 'query',
    targets: "A's budget (funded with more than B's)",
    nothingOfA: "B's own figures",
    asB: () => ({ query: `{ budget { ${budgetFields} } }` }),
    expectForB: (data, fx) => budgetOfB(data.budget, fx),
  },
  budgetForecast: {
    kind: 'query',
    targets: "A's budget and remaining tasks",
    nothingOfA: "B's budget; the first unaffordable task, if any, is B's",
    asB: () => ({ query: '{ budgetForecast { costToFinishUsd budgetLeftUsd firstUnaffordableTaskId } }' }),
    expectForB: (data, fx) => {
      const forecast = data.budgetForecast as { budgetLeftUsd: number; firstUnaffordableTaskId: string | null };
      expect(forecast.budgetLeftUsd).toBeLessThan(fx.a.fundUsd - 5);
      if (forecast.firstUnaffordableTaskId) expect(allOf(fx.b)).toContain(forecast.firstUnaffordableTaskId);
    },
  },
  usage: {
    kind: 'query',
    targets: "A's ledger: A's goal planning, charged more than B's, with A's goal text",
    nothingOfA: "B's own charges only (B's goal, B's amount); the rows add up to B's ledger",
    asB: () => ({
      query: `query($from: DateTime!, $to: DateTime!) {
        usage(from: $from, to: $to, groupBy: [GOAL, ROLE, DAY]) {
          rows { day role goalId goalText jobs tokens usd microUsd } totalMicroUsd ledgerMicroUsd balanced
        }
      }`,
      variables: { ...usagePeriod },
    }),
    expectForB: (data, fx) => {
      const usage = data.usage as {
        rows: { goalId: string | null; goalText: string | null; role: string; microUsd: string }[];
        totalMicroUsd: string;
        balanced: boolean;
      };
      for (const row of usage.rows) expect([fx.b.goalId, null]).toContain(row.goalId);
      expect(usage.rows).toContainEqual(
        expect.objectContaining({
          goalId: fx.b.goalId,
          goalText: fx.b.goalText,
          role: 'planning',
          microUsd: String(fx.b.chargedMicroUsd),
        }),
      );
      expect(usage.balanced).toBe(true);
    },
  },
  liveSnapshot: {
    kind: 'query',
    targets: "A's task graph and budget",
    nothingOfA: "B's graph and budget",
    asB: () => ({ query: `{ liveSnapshot { seq taskGraph { nodes { id tenantId } } budget { ${budgetFields} } } }` }),
    expectForB: (data, fx) => {
      const snapshot = data.liveSnapshot as { taskGraph: { nodes: Rows }; budget: unknown };
      expect(snapshot.taskGraph.nodes.map((node) => node.id).sort()).toEqual(allOf(fx.b).sort());
      budgetOfB(snapshot.budget, fx);
    },
  },
  workspace: {
    kind: 'query',
    targets: "A's workspace (its files, merges with A's diff, test runs, release)",
    nothingOfA: "B's own workspace for B's goal; null for A's goal",
    asB: (fx) => ({
      query: `query($mine: ID!, $theirs: ID!) {
        mine: workspace(goalId: $mine) { id goalId files merges { diff files } testRuns { id } release { tag tarUrl } }
        theirs: workspace(goalId: $theirs) { id }
      }`,
      variables: { mine: fx.b.goalId, theirs: fx.a.goalId },
    }),
    expectForB: (data, fx) => {
      expect((data.mine as { id: string }).id).toBe(fx.b.workspaceId);
      expect(data.theirs).toBeNull();
    },
    idProbes: [
      {
        name: 'workspace(goalId)',
        call: (id) => ({ query: 'query($id: ID!) { workspace(goalId: $id) { id } }', variables: { id } }),
        foreign: (fx) => fx.a.goalId,
        missing: (fx) => fx.missing.goalId,
      },
    ],
  },
  workspaces: {
    kind: 'query',
    targets: "A's workspaces",
    nothingOfA: "B's one workspace only",
    asB: () => ({ query: '{ workspaces { id goalId release { tag } } }' }),
    expectForB: (data, fx) => expect(rowsOf(data, 'workspaces').map((row) => row.id)).toEqual([fx.b.workspaceId]),
  },
  spendApproval: {
    kind: 'query',
    targets: "A's spend-approval threshold (A's fundUsd, not B's)",
    nothingOfA: "B's own threshold",
    asB: () => ({ query: '{ spendApproval { thresholdUsd } }' }),
    expectForB: (data, fx) => expect(data.spendApproval).toEqual({ thresholdUsd: fx.b.fundUsd }),
  },
  planApproval: {
    kind: 'query',
    targets: "A's goal's plan approval",
    nothingOfA: "B's own goal's approval; null for A's goal, as for a missing one",
    asB: (fx) => ({
      query: 'query($g: ID!) { planApproval(goalId: $g) { goalId state planHash } }',
      variables: { g: fx.b.goalId },
    }),
    expectForB: (data, fx) => expect(data.planApproval).toMatchObject({ goalId: fx.b.goalId, state: 'not_required' }),
    idProbes: [
      {
        name: 'planApproval(goalId)',
        call: (id) => ({ query: 'query($id: ID!) { planApproval(goalId: $id) { goalId } }', variables: { id } }),
        foreign: (fx) => fx.a.goalId,
        missing: (fx) => fx.missing.goalId,
      },
    ],
  },
  tenantLimits: {
    kind: 'query',
    targets: "A's limits (set to other values than B's)",
    nothingOfA: "B's own limits",
    asB: () => ({ query: '{ tenantLimits { maxRunningJobs tokensPerMinute } }' }),
    expectForB: (data, fx) => expect(data.tenantLimits).toEqual(fx.b.limits),
  },
  billing: {
    kind: 'query',
    targets: "A's top-ups and auto-reload settings",
    nothingOfA: "B's own settings (A's threshold differs), no top-up of A's",
    asB: () => ({ query: '{ billing { topUps { id } autoReload { thresholdUsd } } }' }),
    expectForB: (data, fx) =>
      expect(data.billing).toEqual({ topUps: [], autoReload: { thresholdUsd: fx.b.reloadThresholdUsd } }),
  },
  webhooks: {
    kind: 'query',
    targets: "A's webhooks",
    nothingOfA: "B's one webhook only",
    asB: () => ({ query: '{ webhooks { id urlHint } }' }),
    expectForB: (data, fx) => expect(rowsOf(data, 'webhooks').map((row) => row.id)).toEqual([fx.b.webhookId]),
  },

  me: {
    kind: 'query',
    targets: 'the caller itself',
    nothingOfA: 'B, as B',
    asB: () => ({ query: '{ me { tenantId role platformAdmin via } }' }),
    expectForB: (data, fx) => expect((data.me as { tenantId: string }).tenantId).toBe(fx.b.tenantId),
  },
  apiKeys: {
    kind: 'query',
    targets: "A's API keys",
    nothingOfA: "B's keys only",
    asB: () => ({ query: '{ apiKeys { id name prefix } }' }),
    expectForB: (data, fx) => {
      const ids = rowsOf(data, 'apiKeys').map((row) => row.id);
      expect(ids).toContain(fx.b.apiKeyId);
      expect(ids).not.toContain(fx.a.apiKeyId);
    },
  },

  // ── Mutations ───────────────────────────────────────────────────────────────────────────────────
  addDependency: {
    kind: 'mutation',
    targets: "edges from and to A's tasks",
    nothingOfA: "NOT_FOUND; no edge touches A's tasks",
    attacks: (fx) => [
      { query: addDependency, variables: { t: fx.b.tasks.single, d: fx.a.tasks.root }, code: 'NOT_FOUND' },
      { query: addDependency, variables: { t: fx.a.tasks.queued, d: fx.b.tasks.root }, code: 'NOT_FOUND' },
      { query: addDependency, variables: { t: fx.a.tasks.queued, d: fx.a.tasks.root }, code: 'NOT_FOUND' },
    ],
    idProbes: [
      taskIdProbe('addDependency to', (id, fx) => ({
        query: addDependency,
        variables: { t: fx.b.tasks.single, d: id },
      })),
      taskIdProbe('addDependency from', (id, fx) => ({
        query: addDependency,
        variables: { t: id, d: fx.b.tasks.root },
      })),
    ],
  },
  removeDependency: {
    kind: 'mutation',
    targets: "A's edge child → root",
    nothingOfA: 'NOT_FOUND; the edge stays',
    attacks: (fx) => [
      { query: removeDependency, variables: { t: fx.a.tasks.child, d: fx.a.tasks.root }, code: 'NOT_FOUND' },
      { query: removeDependency, variables: { t: fx.b.tasks.child, d: fx.a.tasks.root }, code: 'NOT_FOUND' },
    ],
    idProbes: [
      taskIdProbe('removeDependency to', (id, fx) => ({
        query: removeDependency,
        variables: { t: fx.b.tasks.child, d: id },
      })),
      taskIdProbe('removeDependency from', (id, fx) => ({
        query: removeDependency,
        variables: { t: id, d: fx.b.tasks.root },
      })),
    ],
  },
  setTaskStatus: {
    kind: 'mutation',
    targets: "A's todo root task",
    nothingOfA: 'NOT_FOUND; its status stays',
    attacks: (fx) =>
      (['done', 'failed', 'doing', 'todo'] as const).map((s) => ({
        query: setStatus,
        variables: { id: fx.a.tasks.root, s },
        code: 'NOT_FOUND',
      })),
    idProbes: [taskIdProbe('setTaskStatus', (id) => ({ query: setStatus, variables: { id, s: 'done' } }))],
  },
  createTask: {
    kind: 'mutation',
    targets: "A's tasks as dependencies",
    nothingOfA: "NOT_FOUND; no task of B's depends on A's",
    attacks: (fx) => [
      {
        query: createTask,
        variables: { input: { description: 'B', dependsOn: [fx.a.tasks.root] } },
        code: 'NOT_FOUND',
      },
    ],
    idProbes: [
      taskIdProbe('createTask dependsOn', (id) => ({
        query: createTask,
        variables: { input: { description: 'B', dependsOn: [id] } },
      })),
    ],
  },
  createPlan: {
    kind: 'mutation',
    targets: "A's tasks named as dependencies of a plan",
    nothingOfA: 'NOT_FOUND; nothing written',
    attacks: (fx) => [{ query: createPlan, variables: planNaming(fx.a.tasks.root), code: 'NOT_FOUND' }],
    idProbes: [taskIdProbe('createPlan naming', (id) => ({ query: createPlan, variables: planNaming(id) }))],
  },
  dispatchTask: {
    kind: 'mutation',
    targets: "A's dispatchable root task",
    nothingOfA: "NOT_FOUND; A's task stays todo, nothing reserved or queued for A",
    attacks: (fx) => [
      {
        query: 'mutation($id: ID!) { dispatchTask(id: $id) { jobId } }',
        variables: { id: fx.a.tasks.root },
        code: 'NOT_FOUND',
      },
    ],
    idProbes: [
      taskIdProbe('dispatchTask', (id) => ({
        query: 'mutation($id: ID!) { dispatchTask(id: $id) { jobId } }',
        variables: { id },
      })),
    ],
  },
  dispatchReadyTasks: {
    kind: 'mutation',
    targets: "A's ready tasks",
    nothingOfA: "dispatches B's ready tasks only",
    attacks: () => [
      {
        query: 'mutation { dispatchReadyTasks(limit: 1000) { dispatched { taskId } skipped { taskId } } }',
        code: null,
      },
    ],
  },
  addWebhook: {
    kind: 'mutation',
    targets: "A's webhook URL",
    nothingOfA: "B gets a webhook of its own, never A's",
    attacks: (fx) => [
      {
        query: 'mutation($input: AddWebhookInput!) { addWebhook(input: $input) { id } }',
        variables: { input: { channel: 'SLACK', url: fx.a.webhookUrl } },
        code: null,
      },
    ],
  },
  createTopUpCheckout: {
    kind: 'mutation',
    targets: "A's budget",
    nothingOfA:
      "takes no tenant: a session for B only (here CONFLICT: no Stripe account configured); billing.int.test.ts credits A's session to A only",
    attacks: () => [{ query: 'mutation { createTopUpCheckout(amountUsd: 10) { url } }', code: 'CONFLICT' }],
  },
  setAutoReload: {
    kind: 'mutation',
    targets: "A's auto-reload settings",
    nothingOfA: "takes no tenant: B's own settings change, A's stay",
    attacks: () => [
      { query: 'mutation { setAutoReload(enabled: false, thresholdUsd: 1, amountUsd: 10) { enabled } }', code: null },
    ],
  },
  setMonthlySpendCap: {
    kind: 'mutation',
    targets: "A's monthly spend cap (A's gate in Redis and A's billing account)",
    nothingOfA: "takes no tenant: B's own cap changes, A's stays",
    attacks: () => [{ query: 'mutation { setMonthlySpendCap(capUsd: 1) { monthlySpendCapUsd } }', code: null }],
  },
  removeWebhook: {
    kind: 'mutation',
    targets: "A's webhook",
    nothingOfA: 'NOT_FOUND; the webhook stays',
    attacks: (fx) => [
      {
        query: 'mutation($id: ID!) { removeWebhook(id: $id) { id } }',
        variables: { id: fx.a.webhookId },
        code: 'NOT_FOUND',
      },
    ],
    idProbes: [
      webhookIdProbe('removeWebhook', (id) => ({
        query: 'mutation($id: ID!) { removeWebhook(id: $id) { id } }',
        variables: { id },
      })),
    ],
  },
  testWebhook: {
    kind: 'mutation',
    targets: "A's webhook",
    nothingOfA: "NOT_FOUND; nothing queued on A's notification queue",
    attacks: (fx) => [
      {
        query: 'mutation($id: ID!) { testWebhook(id: $id) { jobId } }',
        variables: { id: fx.a.webhookId },
        code: 'NOT_FOUND',
      },
    ],
    idProbes: [
      webhookIdProbe('testWebhook', (id) => ({
        query: 'mutation($id: ID!) { testWebhook(id: $id) { jobId } }',
        variables: { id },
      })),
    ],
  },
  setBudget: {
    kind: 'mutation',
    targets: "A's budget",
    nothingOfA: "FORBIDDEN when B's owner names A; a platform admin naming B changes B's budget only",
    attacks: (fx) => [
      { query: setBudget, variables: { usd: 0, tenant: fx.a.tenantId }, code: 'FORBIDDEN' },
      { query: setBudget, variables: { usd: 0, tenant: fx.b.tenantId }, admin: true, code: null },
    ],
    idProbes: [
      tenantIdProbe('setBudget naming a tenant', (id) => ({ query: setBudget, variables: { usd: 0, tenant: id } })),
    ],
  },
  topUpBudget: {
    kind: 'mutation',
    targets: "A's budget and ledger",
    nothingOfA: "FORBIDDEN when B's owner names A; a platform admin naming B changes B's budget only",
    attacks: (fx) => [
      { query: topUpBudget, variables: { usd: 1, tenant: fx.a.tenantId }, code: 'FORBIDDEN' },
      { query: topUpBudget, variables: { usd: 1, tenant: fx.b.tenantId }, admin: true, code: null },
    ],
    idProbes: [
      tenantIdProbe('topUpBudget naming a tenant', (id) => ({ query: topUpBudget, variables: { usd: 1, tenant: id } })),
    ],
  },
  setSpendApproval: {
    kind: 'mutation',
    targets: "A's spend-approval threshold",
    nothingOfA: "B's own threshold changes; A's stays (on A's Tenant node)",
    attacks: () => [
      { query: setSpendApproval, variables: { usd: 1 }, code: null },
      { query: setSpendApproval, variables: { usd: null }, code: null },
      { query: setSpendApproval, variables: { usd: -1 }, code: 'BAD_USER_INPUT' },
      { query: setSpendApproval, variables: { usd: 1_000_001 }, code: 'BAD_USER_INPUT' },
    ],
  },
  approvePlan: {
    kind: 'mutation',
    targets: "A's goal",
    nothingOfA: "NOT_FOUND, as for a missing goal; A's goal and tasks unchanged",
    attacks: (fx) => [
      { query: approvePlan, variables: { g: fx.a.goalId, h: '0'.repeat(64) }, code: 'NOT_FOUND' },
      { query: approvePlan, variables: { g: fx.a.goalId, h: 'not a hash' }, code: 'BAD_USER_INPUT' },
    ],
    idProbes: [
      {
        name: 'approvePlan(goalId)',
        call: (id) => ({ query: approvePlan, variables: { g: id, h: '0'.repeat(64) } }),
        foreign: (fx) => fx.a.goalId,
        missing: (fx) => fx.missing.goalId,
      },
    ],
  },
  rejectPlan: {
    kind: 'mutation',
    targets: "A's goal and its tasks",
    nothingOfA: "NOT_FOUND, as for a missing goal; A's goal and tasks unchanged",
    attacks: (fx) => [{ query: rejectPlan, variables: { g: fx.a.goalId }, code: 'NOT_FOUND' }],
    idProbes: [
      {
        name: 'rejectPlan(goalId)',
        call: (id) => ({ query: rejectPlan, variables: { g: id } }),
        foreign: (fx) => fx.a.goalId,
        missing: (fx) => fx.missing.goalId,
      },
    ],
  },
  setTenantLimits: {
    kind: 'mutation',
    targets: "A's limits",
    nothingOfA: "B's own limits change; A's stay (read back as A and on A's Tenant node)",
    attacks: (fx) => [
      { query: setTenantLimits, variables: { m: fx.a.limits.maxRunningJobs + 1, t: 1_000 }, code: null },
      { query: setTenantLimits, variables: { m: 1_000_000 }, code: 'BAD_USER_INPUT' },
      { query: setTenantLimits, variables: { t: 0 }, code: 'BAD_USER_INPUT' },
    ],
  },
  createApiKey: {
    kind: 'mutation',
    targets: "A's keys (B uses the name of A's key)",
    nothingOfA: "a key of B's own; A's keys unchanged",
    attacks: (fx) => [
      {
        query: 'mutation($n: String!) { createApiKey(name: $n, role: owner) { key { id } } }',
        variables: { n: `${fx.a.marker} key` },
        code: null,
      },
    ],
  },
  revokeApiKey: {
    kind: 'mutation',
    targets: "A's API key",
    nothingOfA: 'NOT_FOUND; the key stays valid',
    attacks: (fx) => [{ query: revokeApiKey, variables: { id: fx.a.apiKeyId }, code: 'NOT_FOUND' }],
    idProbes: [
      {
        name: 'revokeApiKey',
        call: (id) => ({ query: revokeApiKey, variables: { id } }),
        foreign: (fx) => fx.a.apiKeyId,
        missing: (fx) => fx.missing.apiKeyId,
      },
    ],
  },
  createTenant: {
    kind: 'mutation',
    targets: "A's tenant id",
    nothingOfA: 'FORBIDDEN for a tenant owner, whether the id is taken or not',
    attacks: (fx) => [{ query: createTenant, variables: { id: fx.a.tenantId }, code: 'FORBIDDEN' }],
    idProbes: [tenantIdProbe('createTenant', (id) => ({ query: createTenant, variables: { id } }))],
  },
  setGoal: {
    kind: 'mutation',
    targets: "A's goals (B states A's goal text)",
    nothingOfA: "a goal of B's own; A's goals unchanged",
    attacks: (fx) => [
      { query: 'mutation($t: String!) { setGoal(text: $t) { id } }', variables: { t: fx.a.goalText }, code: null },
    ],
  },

  // ── Subscriptions ───────────────────────────────────────────────────────────────────────────────
  events: {
    kind: 'subscription',
    targets: "A's live events (tasks, budget, plans)",
    nothingOfA: "B's socket receives none of A's events",
    document: eventsSubscription,
  },
};
