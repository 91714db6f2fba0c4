import { AppError, agentRoles, dispatchIdOf, notFound } from '@ai-org/core';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { writeTransaction } from '../write-transaction';
import { taskProjection } from './task.projection';
import type { TaskRecord, TaskStatus } from './task.types';
import { newTaskId } from './task-id';

/** Statuses from which a task may be dispatched (once every dependency is done). */
const dispatchable: TaskStatus[] = ['todo', 'waiting_budget', 'blocked', 'failed'];
/** Statuses "dispatch the ready tasks" picks up; a failed task is only re-run when asked for by id. */
const autoDispatchable: TaskStatus[] = ['todo', 'waiting_budget', 'blocked'];

export interface DispatchClaim {
  readonly task: TaskRecord;
  readonly dispatchId: string;
  readonly previousStatus: TaskStatus;
}

/** A finished dependency's latest artifact, handed to the next agent as context. */
export interface DependencyOutput {
  readonly taskId: string;
  readonly description: string;
  readonly artifact: string | null;
}

export type RunStart =
  | { readonly state: 'run'; readonly task: TaskRecord; readonly inputs: readonly DependencyOutput[] }
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
  claimForDispatch(tenantId: string, taskId: string): Promise<DispatchClaim> {
    return this.write(async (tx) => {
      // Write-lock the task first, so a concurrent claim waits and then sees this one's status.
      await tx.run(
        'MATCH (t:Task {tenantId: $tenantId, id: $taskId}) SET t.dispatchCount = coalesce(t.dispatchCount, 0)',
        {
          tenantId,
          taskId,
        },
      );
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WITH t, t.status AS previous,
              COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task) WHERE d.status <> 'done' RETURN d.id } AS waitingFor
         CALL (t, previous, waitingFor) {
           WITH t WHERE previous IN $dispatchable AND size(waitingFor) = 0 AND t.owner IN $roles AND t.tokensPlan > 0
           SET t.status = 'queued', t.statusReason = null, t.queuedAt = datetime(),
               t.dispatchCount = coalesce(t.dispatchCount, 0) + 1
         }
         RETURN previous, waitingFor, ${taskProjection} AS task`,
        { tenantId, taskId, dispatchable, roles: agentRoles },
      );
      const record = result.records[0];
      if (!record) throw notFound(`Task ${taskId} not found`, { id: taskId });
      const previous = record.get('previous') as TaskStatus;
      const waitingFor = record.get('waitingFor') as string[];
      if (!dispatchable.includes(previous)) {
        throw new AppError(
          'CONFLICT',
          `Task ${taskId} is ${previous}; only todo, waiting_budget, blocked or failed tasks are dispatched`,
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
      if (!(task.tokensPlan > 0))
        throw new AppError('BAD_USER_INPUT', `Task ${taskId} has no planned tokens to reserve`);
      return { task, dispatchId: dispatchIdOf(taskId, task.dispatchCount), previousStatus: previous };
    });
  }

  /**
   * The tenant's tasks an agent could start now: not started (or waiting), owned by an agent role,
   * with planned tokens, every dependency done. Tasks for people are never dispatched.
   */
  async readyTasks(tenantId: string, limit: number): Promise<TaskRecord[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) WHERE t.status IN $statuses AND t.owner IN $roles AND t.tokensPlan > 0
         AND NOT EXISTS { MATCH (t)-[:DEPENDS_ON]->(d:Task) WHERE d.status <> 'done' }
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

  async markWaitingBudget(tenantId: string, taskId: string, reason: string): Promise<void> {
    await this.setStatus(tenantId, taskId, 'waiting_budget', reason);
  }

  /** Puts a claimed task back when its job could not be published. */
  async undoClaim(tenantId: string, taskId: string, previousStatus: TaskStatus): Promise<void> {
    await this.setStatus(tenantId, taskId, previousStatus, null);
  }

  /** The worker's first step: marks the task `doing` and hands back what the agent needs. */
  startRun(tenantId: string, taskId: string, dispatchId: string): Promise<RunStart> {
    return this.write(async (tx) => {
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
      if (status !== 'queued' && status !== 'doing') return { state: 'stale', status };
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         SET t.status = 'doing', t.statusReason = null, t.startedAt = datetime()
         RETURN ${taskProjection} AS task,
           COLLECT {
             MATCH (t)-[:DEPENDS_ON]->(d:Task {status: 'done'})
             RETURN { taskId: d.id, description: d.description,
                      artifact: COLLECT { MATCH (d)-[:PRODUCED]->(x:Artifact) RETURN x.content ORDER BY x.createdAt DESC LIMIT 1 }[0] }
             ORDER BY d.id
           } AS inputs`,
        { tenantId, taskId },
      );
      const row = result.records[0];
      return { state: 'run', task: row?.get('task') as TaskRecord, inputs: row?.get('inputs') as DependencyOutput[] };
    });
  }

  /** Stores the artifact of a dispatch once, adds its tokens once, and marks the task done. */
  async completeRun(input: {
    tenantId: string;
    taskId: string;
    dispatchId: string;
    artifact: ArtifactInput;
    tokensUsed: number;
  }): Promise<string> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       MERGE (a:Artifact {dispatchId: $dispatchId})
         ON CREATE SET a.id = $artifactId, a.tenantId = $tenantId, a.kind = $kind, a.content = $content,
                       a.provider = $provider, a.model = $model, a.offline = $offline,
                       a.tokensUsed = $tokensK, a.createdAt = datetime(),
                       t.tokensActual = coalesce(t.tokensActual, 0.0) + $tokensK
       MERGE (t)-[:PRODUCED]->(a)
       SET t.status = 'done', t.statusReason = null, t.finishedAt = coalesce(t.finishedAt, datetime())
       RETURN a.id AS id`,
      {
        ...input.artifact,
        tenantId: input.tenantId,
        taskId: input.taskId,
        dispatchId: input.dispatchId,
        artifactId: newTaskId(),
        tokensK: input.tokensUsed / 1000,
      },
      { database: this.database },
    );
    return records[0]?.get('id') as string;
  }

  /**
   * Fails the task with its reason (adding the tokens this dispatch used, once) and blocks every task
   * that waits for it, directly or not. Unrelated branches are untouched. Returns the blocked ids.
   */
  async failRun(input: {
    tenantId: string;
    taskId: string;
    dispatchId: string;
    reason: string;
    tokensUsed: number;
  }): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       WITH t, coalesce(t.lastFailedDispatch, '') = $dispatchId AS counted
       SET t.status = 'failed', t.statusReason = $reason, t.lastFailedDispatch = $dispatchId,
           t.tokensActual = coalesce(t.tokensActual, 0.0) + CASE WHEN counted THEN 0.0 ELSE $tokensK END
       WITH t
       OPTIONAL MATCH (t)<-[:DEPENDS_ON*]-(d:Task) WHERE d.status IN ['todo', 'waiting_budget', 'blocked']
       SET d.status = 'blocked', d.statusReason = 'waits for failed task ' + t.id
       RETURN collect(DISTINCT d.id) AS blocked`,
      { ...input, tokensK: input.tokensUsed / 1000 },
      { database: this.database },
    );
    return (records[0]?.get('blocked') as string[] | undefined) ?? [];
  }

  private async setStatus(tenantId: string, taskId: string, status: TaskStatus, reason: string | null): Promise<void> {
    await this.driver.executeQuery(
      'MATCH (t:Task {tenantId: $tenantId, id: $taskId}) SET t.status = $status, t.statusReason = $reason',
      { tenantId, taskId, status, reason },
      { database: this.database },
    );
  }
}
