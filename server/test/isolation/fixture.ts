import { randomBytes } from 'node:crypto';
import { WorkspaceRepository } from '@ai-org/schema';
import { expect } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from '../test-app';
import { asTenant, type Caller, forgetAdminKey, gqlAs, isolationAppSettings } from './as-tenant';

/** One tenant's data, created through the API (plus one artifact, written as the workers write it). */
export interface TenantWorld {
  readonly tenantId: string;
  readonly caller: Caller;
  readonly admin: Caller;
  /** Part of every text this tenant stored: seeing it anywhere in another tenant's answer is a leak. */
  readonly marker: string;
  /** A value no other tenant uses (the root task's business value), to spot it in aggregates. */
  readonly businessValue: number;
  /** root (todo, dispatchable) ← child; `queued` was dispatched; `single` came from createTask. */
  readonly tasks: { readonly root: string; readonly child: string; readonly queued: string; readonly single: string };
  readonly rootDescription: string;
  readonly artifactId: string;
  readonly artifactContent: string;
  readonly goalId: string;
  readonly goalText: string;
  /** The goal's workspace, with a merge (its diff carries the marker) and a release. */
  readonly workspaceId: string;
  readonly webhookId: string;
  readonly webhookUrl: string;
  readonly ledgerId: string;
  readonly apiKeyId: string;
  /** The API key's secret: shown once to A, never to anyone else. */
  readonly apiKeySecret: string;
  /** What was put into the budget (top-up, then set to 5 USD less). */
  readonly fundUsd: number;
  /** The tenant's auto-reload threshold (setAutoReload, off), different for A and B. */
  readonly reloadThresholdUsd: number;
  /** The tenant's own limits (setTenantLimits), different for A and B. */
  readonly limits: { readonly maxRunningJobs: number; readonly tokensPerMinute: number };
  /** What planning the goal was charged (a settle entry, with its goal): 10 micro-USD per funded USD. */
  readonly chargedMicroUsd: number;
}

/** Ids of the right shape that nobody uses: the "missing" side of someone else's vs missing. */
export interface MissingIds {
  readonly tenantId: string;
  readonly taskId: string;
  readonly webhookId: string;
  readonly artifactId: string;
  readonly goalId: string;
  readonly workspaceId: string;
  readonly apiKeyId: string;
  readonly text: string;
}

export interface Fixture {
  readonly a: TenantWorld;
  readonly b: TenantWorld;
  readonly missing: MissingIds;
}

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
export const randomId = (length: number): string =>
  Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');

export const missingIds = (): MissingIds => ({
  tenantId: uniqueTenant('iso-missing'),
  taskId: randomId(8),
  webhookId: randomId(12),
  artifactId: randomId(8),
  goalId: randomId(8),
  workspaceId: randomId(8),
  apiKeyId: randomId(16),
  text: `missing-${randomId(12)}`,
});

const must = async <T>(response: Promise<{ data?: T | null; errors?: unknown[] }>): Promise<T> => {
  const { data, errors } = await response;
  expect(errors).toBeUndefined();
  return data as T;
};

/** Stores an artifact on `taskId` with the shape TaskRunRepository.completeRun gives it. */
export const writeArtifact = async (
  app: TestApp,
  input: { tenantId: string; taskId: string; id: string; content: string },
): Promise<void> => {
  await app.bolt.executeQuery(
    `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
     CREATE (t)-[:PRODUCED]->(:Artifact {id: $id, tenantId: $tenantId, kind: 'text', content: $content,
       provider: 'offline', model: 'offline', offline: true, dispatchId: $taskId + '.1', tokensUsed: 0.5,
       createdAt: datetime()})`,
    input,
  );
};

/** The goal's workspace records, as the workers write them (its repository is not on disk). */
const seedWorkspace = async (
  app: TestApp,
  { tenantId, goalId, taskId, marker }: { tenantId: string; goalId: string; taskId: string; marker: string },
): Promise<string> => {
  const records = new WorkspaceRepository(app.bolt);
  const workspace = await records.ensure(tenantId, goalId);
  const commit = randomBytes(20).toString('hex');
  await records.recordPendingMerge({
    tenantId,
    goalId,
    taskId,
    commit,
    previousMain: randomBytes(20).toString('hex'),
    diff: `+${marker} code`,
    diffTruncated: false,
    files: [`${marker}.js`],
  });
  await records.confirmMerge(tenantId, taskId);
  await records.recordRelease({
    tenantId,
    goalId,
    tag: 'v1.0.0',
    commit,
    tarSha256: randomBytes(32).toString('hex'),
    tarBytes: 100,
    bundleSha256: randomBytes(32).toString('hex'),
    bundleBytes: 200,
  });
  return workspace?.id ?? '';
};

/**
 * Creates a tenant with tasks and dependencies (createPlan and createTask), a dispatched task (a job
 * on its queue and a reservation in the ledger), budget top-ups, a goal, a webhook and an artifact.
 */
export const seedTenant = async (
  app: TestApp,
  label: string,
  { businessValue, fundUsd, limits }: { businessValue: number; fundUsd: number; limits: TenantWorld['limits'] },
): Promise<TenantWorld> => {
  const tenantId = uniqueTenant(label);
  const caller = await asTenant(app, tenantId);
  const admin = await asTenant(app, tenantId, { admin: true });
  const marker = `${label}mark${randomId(10)}`;
  const rootDescription = `${marker} root task`;
  await must(
    gqlAs(app, admin, 'mutation($usd: Float!, $t: ID) { topUpBudget(amountUsd: $usd, tenantId: $t) { leftUsd } }', {
      usd: fundUsd,
      t: tenantId,
    }),
  );
  await must(
    gqlAs(app, admin, 'mutation($usd: Float!, $t: ID) { setBudget(amountUsd: $usd, tenantId: $t) { leftUsd } }', {
      usd: fundUsd - 5,
      t: tenantId,
    }),
  );
  await must(
    gqlAs(
      app,
      caller,
      'mutation($m: Int, $t: Int) { setTenantLimits(maxRunningJobs: $m, tokensPerMinute: $t) { maxRunningJobs } }',
      {
        m: limits.maxRunningJobs,
        t: limits.tokensPerMinute,
      },
    ),
  );
  const reloadThresholdUsd = limits.maxRunningJobs + 0.5;
  await must(
    gqlAs(
      app,
      caller,
      'mutation($t: Float!) { setAutoReload(enabled: false, thresholdUsd: $t, amountUsd: 10) { enabled } }',
      {
        t: reloadThresholdUsd,
      },
    ),
  );
  // Spend approval at the tenant's fundUsd: a threshold that differs between A and B.
  await must(
    gqlAs(app, caller, 'mutation($usd: Float) { setSpendApproval(thresholdUsd: $usd) { thresholdUsd } }', {
      usd: fundUsd,
    }),
  );
  const plan = await must(
    gqlAs<{ createPlan: { tasks: { key: string; id: string }[] } }>(
      app,
      caller,
      'mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } } }',
      {
        input: {
          tasks: [
            { key: 'root', description: rootDescription, businessValue, tokensPlan: 2, owner: 'dev' },
            { key: 'child', description: `${marker} child task`, tokensPlan: 1, owner: 'qa' },
            { key: 'queued', description: `${marker} queued task`, tokensPlan: 1, owner: 'dev' },
          ],
          dependencies: [{ from: 'child', to: 'root' }],
        },
      },
    ),
  );
  const idOf = (key: string) => plan.createPlan.tasks.find((task) => task.key === key)?.id ?? '';
  const single = await must(
    gqlAs<{ createTask: { id: string } }>(
      app,
      caller,
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      // Every description of a tenant has its own length: `longest`/`shortest` aggregates then have one answer
      // whatever order the rows come in (a tie could pick either, and the plan's row order may change).
      { input: { description: `${marker} the single task`, owner: 'ux_ui', dependsOn: [idOf('root')] } },
    ),
  );
  await must(gqlAs(app, caller, 'mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id: idOf('queued') }));
  const goalText = `${marker} goal text`;
  const goal = await must(
    gqlAs<{ setGoal: { id: string } }>(app, caller, 'mutation($t: String!) { setGoal(text: $t) { id } }', {
      t: goalText,
    }),
  );
  const webhookUrl = `https://hooks.slack.com/services/T0${randomId(6)}/B0/${marker}`;
  const webhook = await must(
    gqlAs<{ addWebhook: { id: string } }>(
      app,
      caller,
      'mutation($input: AddWebhookInput!) { addWebhook(input: $input) { id } }',
      { input: { channel: 'SLACK', url: webhookUrl } },
    ),
  );
  const apiKey = await must(
    gqlAs<{ createApiKey: { key: { id: string }; secret: string } }>(
      app,
      caller,
      'mutation($name: String!) { createApiKey(name: $name, role: member) { key { id } secret } }',
      { name: `${marker} key` },
    ),
  );
  const artifactId = randomId(8);
  const artifactContent = `${marker} artifact content`;
  await writeArtifact(app, { tenantId, taskId: idOf('root'), id: artifactId, content: artifactContent });
  const workspace = await seedWorkspace(app, { tenantId, goalId: goal.setGoal.id, taskId: idOf('root'), marker });
  // A charge as the goal planner makes one, for usage statements (which show the goal's text).
  const chargedMicroUsd = fundUsd * 10;
  const planning = `goal.${goal.setGoal.id}`;
  await app.app.services.budget.reserve(tenantId, planning, chargedMicroUsd);
  await app.app.services.budget.settle(tenantId, planning, chargedMicroUsd, {
    tokens: chargedMicroUsd,
    goalId: goal.setGoal.id,
    role: 'planning',
  });
  const ledger = await app.bolt.executeQuery('MATCH (e:LedgerEntry {tenantId: $tenantId}) RETURN e.id AS id LIMIT 1', {
    tenantId,
  });
  return {
    ledgerId: String(ledger.records[0]?.get('id')),
    apiKeyId: apiKey.createApiKey.key.id,
    apiKeySecret: apiKey.createApiKey.secret,
    tenantId,
    caller,
    admin,
    marker,
    businessValue,
    tasks: { root: idOf('root'), child: idOf('child'), queued: idOf('queued'), single: single.createTask.id },
    rootDescription,
    artifactId,
    artifactContent,
    goalId: goal.setGoal.id,
    goalText,
    workspaceId: workspace,
    webhookId: webhook.addWebhook.id,
    reloadThresholdUsd,
    webhookUrl,
    fundUsd,
    limits,
    chargedMicroUsd,
  };
};

/** Every string of `world` another tenant must never see (ids, texts, its tenant id, its values). */
export const secretsOf = (world: TenantWorld): string[] => [
  world.tenantId,
  world.marker,
  String(world.businessValue),
  ...Object.values(world.tasks),
  world.artifactId,
  world.goalId,
  world.workspaceId,
  world.webhookId,
  world.ledgerId,
  world.apiKeyId,
  world.apiKeySecret,
];

/** Fails naming the first of `world`'s secrets found anywhere in `response`. */
export const expectNothingOf = (world: TenantWorld, response: unknown, context = ''): void => {
  const body = JSON.stringify(response);
  const found = secretsOf(world).filter((secret) => body.includes(secret));
  expect(found, `${context}: ${body.slice(0, 600)}`).toEqual([]);
};

/** The suite's app (token mode) with two seeded tenants: A, rich and valuable, and B, the one that probes. */
export const startIsolation = async (label: string): Promise<{ t: TestApp; fx: Fixture }> => {
  const t = await startTestApp(isolationAppSettings);
  const [a, b] = await Promise.all([
    seedTenant(t, `iso-${label}-a`, {
      businessValue: 7919.5,
      fundUsd: 500,
      limits: { maxRunningJobs: 7, tokensPerMinute: 79_193 },
    }),
    seedTenant(t, `iso-${label}-b`, {
      businessValue: 3,
      fundUsd: 30,
      limits: { maxRunningJobs: 3, tokensPerMinute: 3_001 },
    }),
  ]);
  return { t, fx: { a, b, missing: missingIds() } };
};

/** Deletes what `startIsolation` made (both tenants, the admin key) and stops the app. */
export const stopIsolation = async (t: TestApp, fx: Fixture): Promise<void> => {
  await forgetAdminKey(t);
  await deleteTenants(t.bolt, fx.a.tenantId, fx.b.tenantId);
  await t.stop();
};
