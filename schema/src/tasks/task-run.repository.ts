import { AppError, agentRoles, dispatchIdOf, notFound, queueSeparator } from '@ai-org/core';
import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import { heldForApproval } from '../goals/plan-lines';
import { writeTransaction } from '../write-transaction';
import { nextVersion, taskProjection } from './task.projection';
import type { TaskRecord, TaskStatus } from './task.types';
import { newTaskId } from './task-id';
import { isCurrentDispatch, lockTask, lockTasks } from './task-lock';
import { runTransitions } from './task-transitions';

/** Statuses from which a task may be dispatched (once every dependency is done). */
const dispatchable: readonly TaskStatus[] = runTransitions.claimForDispatch.from;
/** Statuses "dispatch the ready tasks" picks up; a failed task is only re-run when asked for by id. */
const autoDispatchable: TaskStatus[] = ['todo', 'waiting_budget', 'blocked'];

export interface DispatchClaim {
  readonly task: TaskRecord;
  readonly dispatchId: string;
  readonly previousStatus: TaskStatus;
  /** The reason the task had before the claim cleared it (e.g. why it waited for budget). */
  readonly previousReason: string | null;
}

/**
 * A guarded write found the task in a status its transition does not start from (or, for a write of
 * a dispatch, under another dispatch): nothing was written. `status` is what it found (null: no task).
 */
export interface StaleTask {
  readonly state: 'stale';
  readonly status: TaskStatus | null;
}

export type BudgetWait =
  /** The task now waits for budget, with the reason given. */
  | { readonly state: 'marked' }
  /** It waited already, for the same reason: nothing was written, there is nothing to announce. */
  | { readonly state: 'unchanged' }
  | StaleTask;

export type ClaimUndo = { readonly state: 'undone' } | StaleTask;

/** `task`: the task as this completion left it (done), for live clients without reading it again. */
export type RunCompletion =
  | { readonly state: 'done'; readonly artifactId: string; readonly task: TaskRecord }
  | StaleTask;

export type RunFailure =
  | { readonly state: 'failed'; readonly blocked: readonly string[] }
  /** `tokensUsed`: what this dispatch's artifact recorded, when it stored one (its run completed). */
  | (StaleTask & { readonly tokensUsed: number | null });

/** A finished dependency's latest artifact, handed to the next agent as context. */
export interface DependencyOutput {
  readonly taskId: string;
  readonly description: string;
  readonly artifact: string | null;
}

/** The goal a task was planned from (`Task.goalId`, written by the goal planner): context for its agent. */
export interface GoalContext {
  readonly id: string;
  readonly text: string;
  /** The architect's outline the plan was made from; null until the planner recorded it. */
  readonly architecture: string | null;
}

export type RunStart =
  | {
      readonly state: 'run';
      readonly task: TaskRecord;
      readonly inputs: readonly DependencyOutput[];
      /** Null for a hand-made task (no goal). */
      readonly goal: GoalContext | null;
    }
  /** This dispatch already stored its artifact (the job is a redelivery after a crash). */
  | { readonly state: 'finished'; readonly tokensUsed: number }
  /** The task moved on (failed, changed by hand): nothing to run. */
  | { readonly state: 'stale'; readonly status: TaskStatus };

export interface ArtifactInput {
  readonly kind: string;
  readonly content: string;
  readonly provider: string;
  readonly model: string;
  readonly offline: boolean;
}

/** The task lifecycle around a dispatch: claim → (waiting for budget | queued) → doing → done | failed. */
export class TaskRunRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  private write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return writeTransaction(this.driver, this.database, work);
  }

  /**
   * Marks a ready task `queued` and counts the dispatch, atomically: two concurrent dispatches of one
   * task cannot both claim it. Refuses (CONFLICT) a task that is not ready.
   */
  async claimForDispatch(tenantId: string, taskId: string): Promise<DispatchClaim> {
    const [claim] = await this.claimManyForDispatch(tenantId, [taskId]);
    if (claim instanceof Error) throw claim;
    return claim as DispatchClaim;
  }

  /**
   * `claimForDispatch` for many tasks in one transaction: per task, in the order given, its claim or
   * the typed error that refused it (one refused task never stops the others). The tasks are
   * write-locked in id order, so concurrent claims of overlapping sets wait for each other instead of
   * deadlocking.
   */
  claimManyForDispatch(tenantId: string, taskIds: readonly string[]): Promise<(DispatchClaim | AppError)[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return this.write(async (tx) => {
      await lockTasks(tx, tenantId, [...new Set(taskIds)].sort());
      const result = await tx.run(
        `UNWIND $taskIds AS taskId
         MATCH (t:Task {tenantId: $tenantId, id: taskId})
         WITH t, t.status AS previous, t.statusReason AS previousReason,
              COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task {tenantId: t.tenantId}) WHERE d.status <> 'done' RETURN d.id } AS waitingFor,
              ${heldForApproval('t')} AS held
         CALL (t, previous, waitingFor, held) {
           WITH t WHERE previous IN $dispatchable AND size(waitingFor) = 0 AND t.owner IN $roles AND t.tokensPlan > 0
             AND NOT held
           SET t.status = 'queued', t.statusReason = null, t.queuedAt = datetime(), ${nextVersion('t')},
               t.dispatchCount = coalesce(t.dispatchCount, 0) + 1
         }
         RETURN t.id AS id, previous, previousReason, waitingFor, held, t.goalId AS goalId, ${taskProjection} AS task`,
        { tenantId, taskIds: [...new Set(taskIds)], dispatchable, roles: agentRoles },
      );
      const found = new Map(result.records.map((record) => [record.get('id') as string, record]));
      return taskIds.map((taskId) => {
        try {
          return claimOf(taskId, found.get(taskId));
        } catch (error) {
          if (error instanceof AppError) return error;
          throw error;
        }
      });
    });
  }

  /**
   * The tenant's tasks an agent could start now: not started (or waiting), owned by an agent role,
   * with planned tokens, every dependency done, not held for a spend approval (`heldForApproval`).
   * Tasks for people are never dispatched.
   */
  async readyTasks(tenantId: string, limit: number): Promise<TaskRecord[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) WHERE t.status IN $statuses AND t.owner IN $roles AND t.tokensPlan > 0
         AND NOT EXISTS { MATCH (t)-[:DEPENDS_ON]->(d:Task) WHERE d.status <> 'done' OR d.tenantId <> t.tenantId }
         AND NOT ${heldForApproval('t')}
       RETURN ${taskProjection} AS task ORDER BY t.createdAt, t.id LIMIT $limit`,
      { tenantId, statuses: autoDispatchable, roles: agentRoles, limit: neo4j.int(limit) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => record.get('task') as TaskRecord);
  }

  /**
   * Tasks claimed (queued) more than `olderThanMs` ago: normally their job is on a queue; if the
   * dispatcher died between claim and publish, there is none and the task must be put back.
   */
  async queuedSince(
    tenantId: string,
    olderThanMs: number,
  ): Promise<{ id: string; dispatchId: string; role: string | null }[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, status: 'queued'})
       WHERE t.queuedAt < datetime() - duration({milliseconds: $olderThanMs})
       RETURN t.id AS id, t.dispatchCount AS n, t.owner AS role`,
      { tenantId, olderThanMs: neo4j.int(olderThanMs) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((r) => ({
      id: r.get('id') as string,
      dispatchId: dispatchIdOf(r.get('id') as string, Number(r.get('n'))),
      role: r.get('role') as string | null,
    }));
  }

  /**
   * Tasks an agent's worker started (`doing`) more than `olderThanMs` ago: normally their job is on
   * its queue (active, or waiting for a retry); if Redis lost it, there is none and the task must be
   * put back. Tasks set `doing` by hand (a person's) are not among them.
   */
  async doingSince(tenantId: string, olderThanMs: number): Promise<{ id: string; dispatchId: string; role: string }[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, status: 'doing'})
       WHERE t.owner IN $roles AND coalesce(t.dispatchCount, 0) > 0
         AND t.startedAt < datetime() - duration({milliseconds: $olderThanMs})
       RETURN t.id AS id, t.dispatchCount AS n, t.owner AS role`,
      { tenantId, roles: agentRoles, olderThanMs: neo4j.int(olderThanMs) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((r) => ({
      id: r.get('id') as string,
      dispatchId: dispatchIdOf(r.get('id') as string, Number(r.get('n'))),
      role: r.get('role') as string,
    }));
  }

  /**
   * Puts a task whose job was lost (Redis lost it while the task ran) back to `todo`, only while it is
   * still `doing` by that dispatch; a task that moved on (done, failed, changed by hand) is `stale`.
   */
  recoverLostRun(tenantId: string, taskId: string, dispatchId: string): Promise<ClaimUndo> {
    return this.write(async (tx) => {
      await lockTask(tx, tenantId, taskId);
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND ${isCurrentDispatch}
         SET t.status = 'todo', t.statusReason = null, ${nextVersion('t')}
         RETURN t.id AS id`,
        { tenantId, taskId, dispatchId, separator: queueSeparator, from: runTransitions.recoverLostRun.from },
      );
      if (result.records.length > 0) return { state: 'undone' };
      return { state: 'stale', status: (await this.current(tx, tenantId, taskId))?.status ?? null };
    });
  }

  /**
   * Marks a task waiting for budget, only while it is as the caller left it: `queued` by the caller's
   * own dispatch (`dispatchId`) whose reservation was refused, or still in the status the caller read
   * it in (`status`). A task waiting already for the same reason is left alone (`unchanged`).
   */
  markWaitingBudget(
    tenantId: string,
    taskId: string,
    reason: string,
    expected: { readonly status: TaskStatus; readonly dispatchId?: string | undefined },
  ): Promise<BudgetWait> {
    return this.write(async (tx) => {
      await lockTask(tx, tenantId, taskId);
      const current = await this.current(tx, tenantId, taskId);
      if (current?.status === 'waiting_budget' && expected.status === 'waiting_budget' && current.reason === reason)
        return { state: 'unchanged' };
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND t.status = $expected AND (t.status <> 'queued' OR ${isCurrentDispatch})
         SET t.status = 'waiting_budget', t.statusReason = $reason, ${nextVersion('t')}
         RETURN t.id AS id`,
        {
          tenantId,
          taskId,
          reason,
          expected: expected.status,
          dispatchId: expected.dispatchId ?? null,
          separator: queueSeparator,
          from: runTransitions.markWaitingBudget.from,
        },
      );
      return result.records.length > 0 ? { state: 'marked' } : { state: 'stale', status: current?.status ?? null };
    });
  }

  /**
   * Puts a claimed task back (to `backTo` with `reason`: the status and reason it was claimed from, or
   * `todo` for a lost claim), only while it is still `queued` by that dispatch; a task that moved on is
   * left alone (`stale`).
   */
  undoClaim(
    tenantId: string,
    taskId: string,
    dispatchId: string,
    backTo: TaskStatus,
    reason: string | null = null,
  ): Promise<ClaimUndo> {
    return this.write(async (tx) => {
      await lockTask(tx, tenantId, taskId);
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND $backTo IN $to AND ${isCurrentDispatch}
         SET t.status = $backTo, t.statusReason = $reason, ${nextVersion('t')}
         RETURN t.id AS id`,
        { tenantId, taskId, dispatchId, backTo, reason, separator: queueSeparator, ...runTransitions.undoClaim },
      );
      if (result.records.length > 0) return { state: 'undone' };
      return { state: 'stale', status: (await this.current(tx, tenantId, taskId))?.status ?? null };
    });
  }

  /**
   * The worker's first step: marks the task `doing` and hands back what the agent needs (the task, its
   * finished dependencies' latest artifacts, the goal it was planned from, in the same read); only while
   * the task is `queued` or `doing` by this dispatch (a job of an older dispatch finds it `stale`).
   */
  startRun(tenantId: string, taskId: string, dispatchId: string): Promise<RunStart> {
    return this.write(async (tx) => {
      await lockTask(tx, tenantId, taskId);
      const found = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact {dispatchId: $dispatchId})
         RETURN t.status AS status, a.tokensUsed AS tokensUsed`,
        { tenantId, taskId, dispatchId },
      );
      const record = found.records[0];
      if (!record) return { state: 'stale', status: 'failed' };
      if (record.get('tokensUsed') !== null)
        return { state: 'finished', tokensUsed: Math.round(Number(record.get('tokensUsed')) * 1000) };
      const status = record.get('status') as TaskStatus;
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND ${isCurrentDispatch}
         SET t.status = 'doing', t.statusReason = null, t.startedAt = datetime(), ${nextVersion('t')}
         RETURN ${taskProjection} AS task,
           COLLECT {
             MATCH (t)-[:DEPENDS_ON]->(d:Task {status: 'done', tenantId: t.tenantId})
             RETURN { taskId: d.id, description: d.description,
                      artifact: COLLECT { MATCH (d)-[:PRODUCED]->(x:Artifact {tenantId: t.tenantId}) RETURN x.content ORDER BY x.createdAt DESC LIMIT 1 }[0] }
             ORDER BY d.id
           } AS inputs,
           COLLECT {
             MATCH (g:Goal {tenantId: $tenantId, id: t.goalId})
             RETURN g { .id, .text, .architecture }
           }[0] AS goal`,
        { tenantId, taskId, dispatchId, separator: queueSeparator, from: runTransitions.startRun.from },
      );
      const row = result.records[0];
      if (!row) return { state: 'stale', status };
      return {
        state: 'run',
        task: row.get('task') as TaskRecord,
        inputs: row.get('inputs') as DependencyOutput[],
        goal: (row.get('goal') as GoalContext | null) ?? null,
      };
    });
  }

  /** Whether the task is still `doing` by this dispatch (not changed by hand, not taken over). */
  async isRunning(tenantId: string, taskId: string, dispatchId: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       WHERE t.status = 'doing' AND ${isCurrentDispatch}
       RETURN count(t) > 0 AS running`,
      { tenantId, taskId, dispatchId, separator: queueSeparator },
      { database: this.database, routing: 'READ' },
    );
    return records[0]?.get('running') === true;
  }

  /**
   * What became of a dispatch, as its job would find it on a redelivery: `tokensUsed` when it stored
   * its artifact (it finished; null otherwise), `held` while the task is still `queued` or `doing` by it,
   * and the task's owner (its role queue). Null when there is no such task.
   */
  async dispatchOutcome(
    tenantId: string,
    taskId: string,
    dispatchId: string,
  ): Promise<{
    readonly held: boolean;
    readonly tokensUsed: number | null;
    readonly owner: string | null;
    readonly status: TaskStatus;
  } | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact {dispatchId: $dispatchId})
       RETURN t.status IN $running AND ${isCurrentDispatch} AS held, a.tokensUsed AS tokensUsed, t.owner AS owner,
              t.status AS status`,
      { tenantId, taskId, dispatchId, separator: queueSeparator, running: ['queued', 'doing'] },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const record = records[0];
    if (!record) return null;
    const tokensUsed = record.get('tokensUsed') as number | null;
    return {
      held: record.get('held') === true,
      tokensUsed: tokensUsed === null ? null : Math.round(Number(tokensUsed) * 1000),
      owner: (record.get('owner') as string | null) ?? null,
      status: record.get('status') as TaskStatus,
    };
  }

  /** Tasks that wait, directly or not, for `taskId` and are blocked because it failed (see `failRun`). */
  async blockedBy(tenantId: string, taskId: string): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})<-[:DEPENDS_ON*]-(d:Task {tenantId: $tenantId})
       WHERE d.status = 'blocked' AND d.statusReason = 'waits for failed task ' + t.id
       RETURN DISTINCT d.id AS id ORDER BY id`,
      { tenantId, taskId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => record.get('id') as string);
  }

  /**
   * Stores the artifact of a dispatch once, adds its tokens once, and marks the task done; only while
   * the task is `doing` by this dispatch. Otherwise (changed by hand, done already) nothing is written.
   */
  completeRun(input: {
    tenantId: string;
    taskId: string;
    dispatchId: string;
    artifact: ArtifactInput;
    tokensUsed: number;
  }): Promise<RunCompletion> {
    return this.write(async (tx) => {
      await lockTask(tx, input.tenantId, input.taskId);
      const { records } = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       WHERE t.status IN $from AND ${isCurrentDispatch}
       MERGE (a:Artifact {dispatchId: $dispatchId})
         ON CREATE SET a.id = $artifactId, a.tenantId = $tenantId, a.kind = $kind, a.content = $content,
                       a.provider = $provider, a.model = $model, a.offline = $offline,
                       a.tokensUsed = $tokensK, a.createdAt = datetime(),
                       t.tokensActual = coalesce(t.tokensActual, 0.0) + $tokensK
       MERGE (t)-[:PRODUCED]->(a)
       SET t.status = 'done', t.statusReason = null, t.finishedAt = coalesce(t.finishedAt, datetime()), ${nextVersion('t')}
       RETURN a.id AS id, ${taskProjection} AS task`,
        {
          ...input.artifact,
          tenantId: input.tenantId,
          taskId: input.taskId,
          dispatchId: input.dispatchId,
          artifactId: newTaskId(),
          tokensK: input.tokensUsed / 1000,
          separator: queueSeparator,
          from: runTransitions.completeRun.from,
        },
      );
      const record = records[0];
      if (record)
        return { state: 'done', artifactId: record.get('id') as string, task: record.get('task') as TaskRecord };
      return { state: 'stale', status: (await this.current(tx, input.tenantId, input.taskId))?.status ?? null };
    });
  }

  /**
   * Fails the task with its reason (adding the tokens this dispatch used, once) and blocks every task
   * that waits for it, directly or not; only while the task is `queued` or `doing` by this dispatch (a
   * done task is never failed). Unrelated branches are untouched. Returns the blocked ids.
   */
  failRun(input: {
    tenantId: string;
    taskId: string;
    dispatchId: string;
    reason: string;
    tokensUsed: number;
  }): Promise<RunFailure> {
    return this.write(async (tx) => {
      await lockTask(tx, input.tenantId, input.taskId);
      const { records } = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND ${isCurrentDispatch}
         WITH t, coalesce(t.lastFailedDispatch, '') = $dispatchId AS counted
         SET t.status = 'failed', t.statusReason = $reason, t.lastFailedDispatch = $dispatchId, ${nextVersion('t')},
             t.tokensActual = coalesce(t.tokensActual, 0.0) + CASE WHEN counted THEN 0.0 ELSE $tokensK END
         WITH t
         OPTIONAL MATCH (t)<-[:DEPENDS_ON*]-(d:Task {tenantId: t.tenantId}) WHERE d.status IN $blockFrom
         SET d.status = 'blocked', d.statusReason = 'waits for failed task ' + t.id, ${nextVersion('d')}
         RETURN count(DISTINCT t) AS failed, collect(DISTINCT d.id) AS blocked`,
        {
          ...input,
          tokensK: input.tokensUsed / 1000,
          separator: queueSeparator,
          from: runTransitions.failRun.from,
          blockFrom: runTransitions.blockDependents.from,
        },
      );
      const record = records[0];
      if (record && Number(record.get('failed')) > 0)
        return { state: 'failed', blocked: record.get('blocked') as string[] };
      const found = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact {dispatchId: $dispatchId})
         RETURN t.status AS status, a.tokensUsed AS tokensUsed`,
        input,
      );
      const row = found.records[0];
      const tokensUsed = row?.get('tokensUsed') ?? null;
      return {
        state: 'stale',
        status: (row?.get('status') as TaskStatus | undefined) ?? null,
        tokensUsed: tokensUsed === null ? null : Math.round(Number(tokensUsed) * 1000),
      };
    });
  }

  /** The task's status and reason as this transaction sees them (null: no such task). */
  private async current(
    tx: ManagedTransaction,
    tenantId: string,
    taskId: string,
  ): Promise<{ status: TaskStatus; reason: string | null } | null> {
    const result = await tx.run(
      'MATCH (t:Task {tenantId: $tenantId, id: $taskId}) RETURN t.status AS status, t.statusReason AS reason',
      { tenantId, taskId },
    );
    const record = result.records[0];
    return record
      ? { status: record.get('status') as TaskStatus, reason: record.get('reason') as string | null }
      : null;
  }
}

/** A claim query's row for one task as its claim, or the typed error saying why it was not claimed. */
const claimOf = (taskId: string, record: Neo4jRecord | undefined): DispatchClaim => {
  if (!record) throw notFound(`Task ${taskId} not found`, { id: taskId });
  const previous = record.get('previous') as TaskStatus;
  const waitingFor = record.get('waitingFor') as string[];
  if (!dispatchable.includes(previous)) {
    throw new AppError(
      'CONFLICT',
      `Task ${taskId} is ${previous}; only todo, waiting_budget, blocked or failed tasks are dispatched`,
    );
  }
  if (record.get('held') === true) {
    const goalId = record.get('goalId') as string;
    throw new AppError(
      'CONFLICT',
      `Task ${taskId} is held: the plan of goal ${goalId} waits for an owner's approval (approvePlan)`,
      { details: { goalId } },
    );
  }
  if (waitingFor.length > 0) {
    throw new AppError('CONFLICT', `Task ${taskId} waits for unfinished dependencies: ${waitingFor.join(', ')}`, {
      details: { waitingFor },
    });
  }
  const task = record.get('task') as TaskRecord;
  if (!agentRoles.includes(task.owner as (typeof agentRoles)[number])) {
    throw new AppError('BAD_USER_INPUT', `Task ${taskId} has no agent role as owner (${agentRoles.join(', ')})`);
  }
  if (!(task.tokensPlan > 0)) throw new AppError('BAD_USER_INPUT', `Task ${taskId} has no planned tokens to reserve`);
  return {
    task,
    dispatchId: dispatchIdOf(taskId, task.dispatchCount),
    previousStatus: previous,
    previousReason: record.get('previousReason') as string | null,
  };
};
