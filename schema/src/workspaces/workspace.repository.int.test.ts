import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { newTaskId } from '../tasks/task-id';
import { WorkspaceRepository } from './workspace.repository';

describe('workspace records in Neo4j', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const database = config.neo4j.database;
  const repository = new WorkspaceRepository(driver, database);
  const tenant = `test-ws-${randomBytes(4).toString('hex')}`;
  const other = `test-ws-${randomBytes(4).toString('hex')}`;
  const goalId = newTaskId();
  const taskId = newTaskId();

  const merge = (commit: string) => ({
    tenantId: tenant,
    goalId,
    taskId,
    commit,
    previousMain: 'c0',
    diff: '+a',
    diffTruncated: false,
    files: ['a.js'],
  });

  beforeAll(async () => {
    await driver.executeQuery(
      `CREATE (:Goal {id: $goalId, tenantId: $tenant, text: 'a CLI', status: 'planned', createdAt: datetime()})
       CREATE (:Task {id: $taskId, tenantId: $tenant, goalId: $goalId, description: 'x', status: 'doing'})`,
      { goalId, taskId, tenant },
      { database },
    );
  });

  afterAll(async () => {
    await driver.executeQuery(
      `MATCH (n) WHERE n.tenantId IN $tenants AND (n:Goal OR n:Task OR n:Workspace OR n:AgentStep OR n:TestRun OR n:Merge OR n:Release)
       DETACH DELETE n`,
      { tenants: [tenant, other] },
      { database },
    );
    await driver.close();
  });

  it('creates one workspace per goal, and none for a goal of another tenant', async () => {
    const first = await repository.ensure(tenant, goalId);
    const again = await repository.ensure(tenant, goalId);
    expect(again?.id).toBe(first?.id);
    expect(await repository.ensure(other, goalId)).toBeNull();
    expect(await repository.byId(other, first?.id ?? '')).toBeNull();
    expect(await repository.byGoal(other, goalId)).toBeNull();
  });

  it('keeps the first checkpoint of a step and the first results of its tools', async () => {
    const step = {
      tenantId: tenant,
      taskId,
      dispatchId: `${taskId}.1`,
      n: 0,
      kind: 'model' as const,
      text: null,
      toolCalls: [{ id: 'c1', name: 'run_tests', arguments: '{}' }],
      promptTokens: 100,
      completionTokens: 20,
      finishReason: 'tool_calls',
      provider: 'offline',
      model: 'offline',
    };
    await repository.recordStep(step);
    const again = await repository.recordStep({ ...step, promptTokens: 999 });
    expect(again.promptTokens).toBe(100);
    await repository.recordResults(tenant, step.dispatchId, 0, [{ toolCallId: 'c1', content: 'exit 0' }], 'abc');
    await repository.recordResults(tenant, step.dispatchId, 0, [{ toolCallId: 'c1', content: 'other' }], 'def');
    const [stored] = await repository.steps(tenant, step.dispatchId);
    expect(stored).toMatchObject({ n: 0, commit: 'abc', results: [{ toolCallId: 'c1', content: 'exit 0' }] });
    expect(stored?.toolCalls).toEqual(step.toolCalls);
    expect(await repository.steps(other, step.dispatchId)).toEqual([]);
  });

  it('shows a merge only once confirmed; a discarded one (main moved) never', async () => {
    await repository.recordPendingMerge(merge('lost'));
    await repository.discardPendingMerge(tenant, 'lost');
    await repository.recordPendingMerge(merge('won'));
    expect(await repository.merges(tenant, goalId)).toEqual([]);
    expect(await repository.confirmMerge(tenant, taskId)).toMatchObject({ commit: 'won', files: ['a.js'] });
    expect((await repository.merges(tenant, goalId)).map((m) => m.commit)).toEqual(['won']);
    expect((await repository.byGoal(tenant, goalId))?.mainCommit).toBe('won');
    // Confirming again (a repeat after a crash) changes nothing.
    expect(await repository.confirmMerge(tenant, taskId)).toMatchObject({ commit: 'won' });
    expect(await repository.merges(other, goalId)).toEqual([]);
  });

  it('records test runs with their numbers, newest first, for the tenant only', async () => {
    const run = await repository.recordTestRun({
      tenantId: tenant,
      goalId,
      taskId,
      kind: 'gate',
      commit: 'won',
      command: 'npm test',
      exitCode: 1,
      signal: null,
      durationMs: 120,
      passed: 3,
      failed: 1,
      output: '# fail 1',
      truncated: false,
      limitHit: null,
    });
    expect(run).toMatchObject({ exitCode: 1, passed: 3, failed: 1, kind: 'gate' });
    expect((await repository.testRuns(tenant, goalId)).map((r) => r.id)).toEqual([run.id]);
    expect(await repository.testRuns(other, goalId)).toEqual([]);
  });

  it('offers a goal for shipping once all its tasks are done, and not after its release', async () => {
    expect(await repository.readyToShip(tenant)).toEqual([]);
    await driver.executeQuery("MATCH (t:Task {id: $taskId}) SET t.status = 'done'", { taskId }, { database });
    expect((await repository.readyToShip(tenant)).map((w) => w.goalId)).toEqual([goalId]);
    expect(await repository.readyToShip(other)).toEqual([]);
    const release = {
      tenantId: tenant,
      goalId,
      tag: 'v1.0.0',
      commit: 'won',
      tarSha256: 'a'.repeat(64),
      tarBytes: 10,
      bundleSha256: 'b'.repeat(64),
      bundleBytes: 20,
    };
    const first = await repository.recordRelease(release);
    expect((await repository.recordRelease(release)).id).toBe(first.id);
    expect(await repository.readyToShip(tenant)).toEqual([]);
    expect((await repository.releases(tenant, goalId)).map((r) => r.tarBytes)).toEqual([10]);
  });
});
