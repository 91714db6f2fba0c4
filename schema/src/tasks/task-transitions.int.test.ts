import { randomBytes } from 'node:crypto';
import { dispatchIdOf, loadConfig } from '@ai-org/core';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { TaskRepository } from './task.repository';
import { type NewTaskRecord, type TaskStatus, taskStatuses } from './task.types';
import { newTaskId } from './task-id';
import { TaskRunRepository } from './task-run.repository';
import { allowedByHand, creatableStatuses, runTransitions } from './task-transitions';

/**
 * Every status write against the state machine (task-transitions.ts): each forbidden transition is
 * refused and writes nothing; each allowed one is written. Tasks are put into their from-state
 * directly, as if by their second dispatch.
 */
describe('the task state machine, enforced by every status write', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const database = config.neo4j.database;
  const runs = new TaskRunRepository(driver, database);
  const tasks = new TaskRepository(driver, database);
  const tenant = `test-transitions-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await driver.executeQuery(
      `MATCH (n) WHERE (n:Task OR n:Artifact) AND n.tenantId = $tenant DETACH DELETE n
       WITH count(*) AS ignored
       MATCH (tn:Tenant {id: $tenant}) DETACH DELETE tn`,
      { tenant },
      { database },
    );
    await driver.close();
  });

  /** A task in `status`, dispatched twice so far, owned by the agent role `dev` unless said otherwise. */
  const taskIn = async (status: TaskStatus, options: { owner?: string; dependentIn?: TaskStatus } = {}) => {
    const id = newTaskId();
    await driver.executeQuery(
      `CREATE (t:Task {id: $id, tenantId: $tenant, description: 'state machine', status: $status, owner: $owner,
         statusReason: 'as it was', dispatchCount: 2, tokensActual: 1.5, tokensPlan: 2.0, businessValue: 1.0,
         purposeRelevance: 0.5, createdAt: datetime()})
       FOREACH (s IN CASE WHEN $dependentIn IS NULL THEN [] ELSE [$dependentIn] END |
         CREATE (:Task {id: $dependentId, tenantId: $tenant, description: 'dependent', status: s, owner: 'dev',
           statusReason: 'as it was', dispatchCount: 0, tokensActual: 0.0, tokensPlan: 2.0, businessValue: 1.0,
           purposeRelevance: 0.5, createdAt: datetime()})-[:DEPENDS_ON]->(t))`,
      {
        id,
        tenant,
        status,
        owner: options.owner ?? 'dev',
        dependentIn: options.dependentIn ?? null,
        dependentId: newTaskId(),
      },
      { database },
    );
    return id;
  };
  /** The job id of the task's current (second) dispatch, and of an older one. */
  const currentDispatch = (id: string) => dispatchIdOf(id, 2);
  const olderDispatch = (id: string) => dispatchIdOf(id, 1);

  /** Everything a status write could change: the task's properties, its artifacts, its dependents. */
  const stateOf = async (id: string) => {
    const { records } = await driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenant, id: $id})
       RETURN properties(t) AS task, COUNT { (t)-[:PRODUCED]->(:Artifact) } AS artifacts,
              COLLECT { MATCH (d:Task)-[:DEPENDS_ON]->(t) RETURN properties(d) } AS dependents`,
      { tenant, id },
      { database, routing: neo4j.routing.READ },
    );
    const record = records[0];
    return { task: record?.get('task'), artifacts: record?.get('artifacts'), dependents: record?.get('dependents') };
  };
  const statusOf = async (id: string) => (await stateOf(id)).task?.status as TaskStatus;

  const others = (allowed: readonly TaskStatus[]) => taskStatuses.filter((status) => !allowed.includes(status));
  const artifact = { kind: 'dev-deliverable', content: 'x', provider: 'test', model: 'test', offline: true };

  describe('claimForDispatch', () => {
    it.each(others(runTransitions.claimForDispatch.from))(
      'refuses to claim a %s task (CONFLICT) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        await expect(runs.claimForDispatch(tenant, id)).rejects.toMatchObject({ code: 'CONFLICT' });
        expect(await stateOf(id)).toEqual(before);
      },
    );
  });

  describe('markWaitingBudget', () => {
    it.each(others(runTransitions.markWaitingBudget.from))(
      'leaves a %s task alone (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        const expected = { status: from, dispatchId: currentDispatch(id) };
        expect(await runs.markWaitingBudget(tenant, id, 'needs money', expected)).toEqual({
          state: 'stale',
          status: from,
        });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(['queued', 'doing', 'done'] as const)(
      'leaves alone a task read as todo that is %s by now (stale) and changes nothing',
      async (now) => {
        const id = await taskIn(now);
        const before = await stateOf(id);
        expect(await runs.markWaitingBudget(tenant, id, 'ranks below', { status: 'todo' })).toEqual({
          state: 'stale',
          status: now,
        });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it("leaves alone a task queued by another dispatch than the caller's (stale) and changes nothing", async () => {
      const id = await taskIn('queued');
      const before = await stateOf(id);
      const expected = { status: 'queued' as const, dispatchId: olderDispatch(id) };
      expect(await runs.markWaitingBudget(tenant, id, 'needs money', expected)).toEqual({
        state: 'stale',
        status: 'queued',
      });
      expect(await stateOf(id)).toEqual(before);
    });

    it('writes nothing for a task that waits already for the same reason (unchanged)', async () => {
      const id = await taskIn('waiting_budget');
      const before = await stateOf(id);
      expect(await runs.markWaitingBudget(tenant, id, 'as it was', { status: 'waiting_budget' })).toEqual({
        state: 'unchanged',
      });
      expect(await stateOf(id)).toEqual(before);
    });

    it.each(runTransitions.markWaitingBudget.from)(
      'marks a %s task (as the caller left it) waiting for budget',
      async (from) => {
        const id = await taskIn(from);
        const expected = { status: from, dispatchId: currentDispatch(id) };
        expect(await runs.markWaitingBudget(tenant, id, 'needs money', expected)).toEqual({ state: 'marked' });
        expect((await stateOf(id)).task).toMatchObject({ status: 'waiting_budget', statusReason: 'needs money' });
      },
    );
  });

  describe('undoClaim', () => {
    it.each(others(runTransitions.undoClaim.from))(
      'leaves a %s task alone (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        expect(await runs.undoClaim(tenant, id, currentDispatch(id), 'todo')).toEqual({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it('leaves alone a task queued by a later dispatch (stale) and changes nothing', async () => {
      const id = await taskIn('queued');
      const before = await stateOf(id);
      expect(await runs.undoClaim(tenant, id, olderDispatch(id), 'todo')).toEqual({ state: 'stale', status: 'queued' });
      expect(await stateOf(id)).toEqual(before);
    });

    it.each(others(runTransitions.undoClaim.to))(
      'refuses to put a queued task back to %s (stale) and changes nothing',
      async (to) => {
        const id = await taskIn('queued');
        const before = await stateOf(id);
        expect(await runs.undoClaim(tenant, id, currentDispatch(id), to)).toEqual({ state: 'stale', status: 'queued' });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(runTransitions.undoClaim.to)(
      'puts a task queued by this dispatch back to %s, with its reason',
      async (to) => {
        const id = await taskIn('queued');
        expect(await runs.undoClaim(tenant, id, currentDispatch(id), to, 'why before')).toEqual({ state: 'undone' });
        expect((await stateOf(id)).task).toMatchObject({ status: to, statusReason: 'why before' });
      },
    );
  });

  describe('recoverLostRun', () => {
    it.each(others(runTransitions.recoverLostRun.from))(
      'leaves a %s task alone (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        expect(await runs.recoverLostRun(tenant, id, currentDispatch(id))).toEqual({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it('leaves alone a task run by a later dispatch (stale) and changes nothing', async () => {
      const id = await taskIn('doing');
      const before = await stateOf(id);
      expect(await runs.recoverLostRun(tenant, id, olderDispatch(id))).toEqual({ state: 'stale', status: 'doing' });
      expect(await stateOf(id)).toEqual(before);
    });

    it('puts a task doing by this dispatch back to todo, once', async () => {
      const id = await taskIn('doing');
      expect(await runs.recoverLostRun(tenant, id, currentDispatch(id))).toEqual({ state: 'undone' });
      const { task } = await stateOf(id);
      expect(task).toMatchObject({ status: 'todo', dispatchCount: 2 });
      expect(task?.statusReason ?? null).toBeNull();
      expect(await runs.recoverLostRun(tenant, id, currentDispatch(id))).toEqual({ state: 'stale', status: 'todo' });
    });

    it("lists only agents' tasks started by a worker, never a person's task set doing by hand", async () => {
      const started = await taskIn('doing');
      const person = await taskIn('doing', { owner: 'alice' });
      const byHand = await taskIn('doing'); // no startedAt: never started by a worker
      await driver.executeQuery(
        `MATCH (t:Task {tenantId: $tenant}) WHERE t.id IN [$started, $person]
         SET t.startedAt = datetime() - duration({seconds: 10})`,
        { tenant, started, person },
        { database },
      );
      const listed = (await runs.doingSince(tenant, 1_000)).map((run) => run.id);
      expect(listed).toContain(started);
      expect(listed).not.toContain(person);
      expect(listed).not.toContain(byHand);
      expect(await runs.doingSince(tenant, 60_000)).toEqual([]);
      const run = (await runs.doingSince(tenant, 1_000)).find((r) => r.id === started);
      expect(run).toEqual({ id: started, dispatchId: currentDispatch(started), role: 'dev' });
    });
  });

  describe('startRun', () => {
    it.each(others(runTransitions.startRun.from))(
      'leaves a %s task alone (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        expect(await runs.startRun(tenant, id, currentDispatch(id))).toEqual({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(runTransitions.startRun.from)(
      'leaves alone a task %s by a later dispatch (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        expect(await runs.startRun(tenant, id, olderDispatch(id))).toEqual({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(runTransitions.startRun.from)('starts a task %s by this dispatch', async (from) => {
      const id = await taskIn(from);
      expect(await runs.startRun(tenant, id, currentDispatch(id))).toMatchObject({ state: 'run' });
      expect(await statusOf(id)).toBe('doing');
    });
  });

  describe('completeRun', () => {
    const complete = (id: string, dispatchId: string) =>
      runs.completeRun({ tenantId: tenant, taskId: id, dispatchId, artifact, tokensUsed: 1_000 });

    it.each(others(runTransitions.completeRun.from))(
      'leaves a %s task alone (stale): no artifact, no tokens, no status',
      async (from) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        expect(await complete(id, currentDispatch(id))).toEqual({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it('leaves alone a task doing by a later dispatch (stale) and changes nothing', async () => {
      const id = await taskIn('doing');
      const before = await stateOf(id);
      expect(await complete(id, olderDispatch(id))).toEqual({ state: 'stale', status: 'doing' });
      expect(await stateOf(id)).toEqual(before);
    });

    it('finishes a task doing by this dispatch: artifact stored, tokens added once', async () => {
      const id = await taskIn('doing');
      expect(await complete(id, currentDispatch(id))).toMatchObject({ state: 'done' });
      expect(await stateOf(id)).toMatchObject({ task: { status: 'done', tokensActual: 2.5 }, artifacts: 1 });
    });
  });

  describe('failRun', () => {
    const fail = (id: string, dispatchId: string) =>
      runs.failRun({ tenantId: tenant, taskId: id, dispatchId, reason: 'gave up', tokensUsed: 1_000 });

    it.each(others(runTransitions.failRun.from))(
      'leaves a %s task and its dependents alone (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from, { dependentIn: 'todo' });
        const before = await stateOf(id);
        expect(await fail(id, currentDispatch(id))).toEqual({ state: 'stale', status: from, tokensUsed: null });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it('never turns a task this dispatch finished into failed, and says what the run recorded', async () => {
      const id = await taskIn('doing', { dependentIn: 'todo' });
      await runs.completeRun({
        tenantId: tenant,
        taskId: id,
        dispatchId: currentDispatch(id),
        artifact,
        tokensUsed: 800,
      });
      const before = await stateOf(id);
      expect(await fail(id, currentDispatch(id))).toEqual({ state: 'stale', status: 'done', tokensUsed: 800 });
      expect(await stateOf(id)).toEqual(before);
    });

    it.each(runTransitions.failRun.from)(
      'leaves alone a task %s by a later dispatch (stale) and changes nothing',
      async (from) => {
        const id = await taskIn(from, { dependentIn: 'todo' });
        const before = await stateOf(id);
        expect(await fail(id, olderDispatch(id))).toMatchObject({ state: 'stale', status: from });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(runTransitions.failRun.from)('fails a task %s by this dispatch', async (from) => {
      const id = await taskIn(from);
      expect(await fail(id, currentDispatch(id))).toEqual({ state: 'failed', blocked: [] });
      expect((await stateOf(id)).task).toMatchObject({ status: 'failed', statusReason: 'gave up', tokensActual: 2.5 });
    });

    it.each(others(runTransitions.blockDependents.from))(
      'leaves a %s dependent of the failed task alone',
      async (dependentIn) => {
        const id = await taskIn('doing', { dependentIn });
        const [dependentBefore] = (await stateOf(id)).dependents;
        expect(await fail(id, currentDispatch(id))).toEqual({ state: 'failed', blocked: [] });
        expect((await stateOf(id)).dependents).toEqual([dependentBefore]);
      },
    );

    it.each(runTransitions.blockDependents.from)('blocks a %s dependent of the failed task', async (dependentIn) => {
      const id = await taskIn('doing', { dependentIn });
      const failure = await fail(id, currentDispatch(id));
      expect(failure).toMatchObject({ state: 'failed', blocked: [expect.any(String)] });
      expect((await stateOf(id)).dependents).toEqual([
        expect.objectContaining({ status: 'blocked', statusReason: `waits for failed task ${id}` }),
      ]);
    });
  });

  describe('setStatus by hand (setTaskStatus)', () => {
    const forbidden = (ownedByAgent: boolean) =>
      taskStatuses.flatMap((from) =>
        taskStatuses.filter((to) => to !== from && !allowedByHand(from, to, ownedByAgent)).map((to) => [from, to]),
      ) as [TaskStatus, TaskStatus][];
    const allowed = (ownedByAgent: boolean) =>
      taskStatuses.flatMap((from) =>
        taskStatuses.filter((to) => allowedByHand(from, to, ownedByAgent)).map((to) => [from, to]),
      ) as [TaskStatus, TaskStatus][];

    it.each(forbidden(true))(
      "refuses to set an agent's %s task %s (CONFLICT) and changes nothing",
      async (from, to) => {
        const id = await taskIn(from);
        const before = await stateOf(id);
        await expect(tasks.setStatus(tenant, id, to)).rejects.toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining(`${id} is ${from}; it cannot be set to ${to}`),
        });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(forbidden(false))(
      "refuses to set a person's %s task %s (CONFLICT) and changes nothing",
      async (from, to) => {
        const id = await taskIn(from, { owner: 'alice' });
        const before = await stateOf(id);
        await expect(tasks.setStatus(tenant, id, to)).rejects.toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining(`${id} is ${from}; it cannot be set to ${to}`),
        });
        expect(await stateOf(id)).toEqual(before);
      },
    );

    it.each(allowed(true))("sets an agent's %s task %s and clears the old reason", async (from, to) => {
      const id = await taskIn(from);
      expect(await tasks.setStatus(tenant, id, to)).toMatchObject({ id, status: to, statusReason: null });
      expect(await statusOf(id)).toBe(to);
    });

    it("sets a person's todo task doing", async () => {
      const id = await taskIn('todo', { owner: 'alice' });
      expect(await tasks.setStatus(tenant, id, 'doing')).toMatchObject({ status: 'doing' });
    });

    it.each(taskStatuses)('changes nothing when a %s task is set to the status it has', async (status) => {
      const id = await taskIn(status);
      const before = await stateOf(id);
      expect(await tasks.setStatus(tenant, id, status)).toMatchObject({ id, status, statusReason: 'as it was' });
      expect(await stateOf(id)).toEqual(before);
    });

    it('answers NOT_FOUND for a missing task', async () => {
      await expect(tasks.setStatus(tenant, '00000000', 'done')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('creation', () => {
    const newTask = (status: TaskStatus): NewTaskRecord => ({
      description: 'new',
      businessValue: 1,
      tokensPlan: 1,
      purposeRelevance: 0.5,
      owner: 'dev',
      status,
      dependsOn: [],
    });
    const countTasks = async () => {
      const { records } = await driver.executeQuery(
        'MATCH (t:Task {tenantId: $tenant}) RETURN count(t) AS n',
        { tenant },
        { database },
      );
      return Number(records[0]?.get('n'));
    };

    it.each(others(creatableStatuses))(
      'refuses to create a task %s (BAD_USER_INPUT) and writes nothing',
      async (status) => {
        const before = await countTasks();
        await expect(tasks.create(tenant, newTask(status))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
        const plan = {
          tasks: [
            { key: 'fine', ...newTask('todo') },
            { key: 'refused', ...newTask(status) },
          ],
          dependencies: [],
        };
        await expect(tasks.createPlan(tenant, plan)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(await countTasks()).toBe(before);
      },
    );

    it.each(creatableStatuses)('creates a task %s', async (status) => {
      expect(await tasks.create(tenant, newTask(status))).toMatchObject({ status });
    });
  });
});
