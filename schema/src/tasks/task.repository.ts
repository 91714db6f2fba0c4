import { AppError, agentRoles, badInput, notFound } from '@ai-org/core';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { writeTransaction } from '../write-transaction';
import { nextVersion, taskProjection, taskStateColumns } from './task.projection';
import type {
  DependencyEdge,
  NewTaskRecord,
  PlanRecord,
  TaskGraph,
  TaskRecord,
  TaskState,
  TaskStatus,
} from './task.types';
import {
  graphOfRows,
  rowsOf,
  sortDependencies,
  type TaskField,
  taskFields,
  taskGraphColumns,
  taskRecordColumns,
} from './task-graph.columns';
import { newTaskId } from './task-id';
import { lockTask } from './task-lock';
import {
  creatableStatuses,
  handRefusal,
  handStatusesForPeopleOnly,
  handTransitions,
  isCreatableStatus,
} from './task-transitions';

/**
 * Locks the tenant for the rest of the transaction (creating it on first use), so that concurrent
 * edits of one tenant's DAG are serialised and a cycle check cannot race another edge.
 */
const lockTenant = async (tx: ManagedTransaction, tenantId: string): Promise<void> => {
  // A plain MATCH … SET takes the exclusive lock at once. MERGE would first take a shared lock and then
  // upgrade it, and two transactions upgrading at the same time deadlock.
  const locked = await tx.run(
    'MATCH (tn:Tenant {id: $tenantId}) SET tn.graphVersion = coalesce(tn.graphVersion, 0) + 1 RETURN count(tn) AS n',
    { tenantId },
  );
  if (Number(locked.records[0]?.get('n')) > 0) return;
  await tx.run(
    `MERGE (tn:Tenant {id: $tenantId})
       ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime()
     SET tn.graphVersion = coalesce(tn.graphVersion, 0) + 1`,
    { tenantId },
  );
};

const taskNotFound = (id: string) => notFound(`Task ${id} not found`, { id });

/** A Map as a record without a prototype: looking up "constructor" there finds nothing inherited. */
const recordOf = (map: ReadonlyMap<string, string>): Readonly<Record<string, string>> => {
  const record: Record<string, string> = Object.create(null);
  for (const [key, value] of map) record[key] = value;
  return record;
};

/** Refuses (before anything is written) a new task in a status only dispatch and workers set. */
const assertCreatable = (statuses: readonly TaskStatus[]): void => {
  const refused = statuses.find((status) => !isCreatableStatus(status));
  if (refused !== undefined)
    throw badInput(`A task cannot be created ${refused}: it starts as ${creatableStatuses.join(', ')}`, {
      status: refused,
    });
};

export interface CreatedPlan {
  /** Plan key → new task id. */
  readonly ids: Readonly<Record<string, string>>;
  readonly edgeCount: number;
}

/** Reads and writes the task graph of one Neo4j database; every method is scoped to a tenant. */
export class TaskRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  private write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return writeTransaction(this.driver, this.database, work);
  }

  private async readTasks(cypher: string, params: Record<string, unknown>): Promise<TaskRecord[]> {
    const { records } = await this.driver.executeQuery(cypher, params, {
      database: this.database,
      routing: neo4j.routing.READ,
    });
    return records.map((record) => record.get('task') as TaskRecord);
  }

  async create(tenantId: string, task: NewTaskRecord): Promise<TaskRecord> {
    assertCreatable([task.status]);
    const id = newTaskId();
    return this.write(async (tx) => {
      await lockTenant(tx, tenantId);
      await this.assertTasksExist(tx, tenantId, task.dependsOn);
      const { description, businessValue, tokensPlan, purposeRelevance, owner, status, dependsOn } = task;
      const result = await tx.run(
        `MATCH (tn:Tenant {id: $tenantId})
         CREATE (tn)-[:HAS_TASK]->(t:Task {
           id: $id, tenantId: $tenantId, description: $description, status: $status, owner: $owner,
           businessValue: $businessValue, tokensPlan: $tokensPlan, tokensActual: 0.0,
           purposeRelevance: $purposeRelevance, createdAt: datetime(), version: 1
         })
         WITH t
         CALL (t) {
           UNWIND $dependsOn AS depId
           MATCH (d:Task {tenantId: $tenantId, id: depId})
           MERGE (t)-[:DEPENDS_ON]->(d)
         }
         RETURN ${taskProjection} AS task`,
        { tenantId, id, description, status, owner, businessValue, tokensPlan, purposeRelevance, dependsOn },
      );
      return result.records[0]?.get('task') as TaskRecord;
    });
  }

  /**
   * Writes a whole plan (the caller has refused cycles) — tasks and their edges — in one transaction with UNWIND. Edges point to
   * another key of the plan or to an existing task of the tenant. With `onlyIfEmpty` nothing is
   * written (and null returned) when the tenant already has tasks. With `goalId` every task records the
   * goal it was planned from (`Task.goalId`, read tenant-scoped for its agent's context).
   */
  async createPlan(
    tenantId: string,
    plan: PlanRecord,
    options: { onlyIfEmpty?: boolean; goalId?: string } = {},
  ): Promise<CreatedPlan | null> {
    // Keys are the caller's strings: a Map, never a plain object, so "constructor" or "__proto__" is just a key.
    const ids = new Map(plan.tasks.map((task) => [task.key, newTaskId()]));
    const edges: DependencyEdge[] = plan.dependencies.map(({ from, to }) => {
      const fromId = ids.get(from);
      if (fromId === undefined) throw badInput(`unknown task key ${JSON.stringify(from)}`);
      return { from: fromId, to: ids.get(to) ?? to };
    });
    const newIds = new Set(ids.values());
    const external = [...new Set(edges.map((edge) => edge.to).filter((to) => !newIds.has(to)))];
    assertCreatable(plan.tasks.map((task) => task.status));

    return this.write(async (tx) => {
      await lockTenant(tx, tenantId);
      if (options.onlyIfEmpty && (await this.countIn(tx, tenantId)) > 0) return null;
      await this.assertTasksExist(tx, tenantId, external);
      await tx.run(
        `MATCH (tn:Tenant {id: $tenantId})
         UNWIND $tasks AS task
         CREATE (tn)-[:HAS_TASK]->(:Task {
           id: task.id, tenantId: $tenantId, description: task.description, status: task.status,
           owner: task.owner, businessValue: task.businessValue, tokensPlan: task.tokensPlan,
           tokensActual: 0.0, purposeRelevance: task.purposeRelevance, routedBy: task.routedBy, goalId: $goalId,
           createdAt: datetime(), version: 1
         })`,
        {
          tenantId,
          goalId: options.goalId ?? null,
          tasks: plan.tasks.map(({ key, ...task }) => ({ ...task, routedBy: task.routedBy ?? null, id: ids.get(key) })),
        },
      );
      await tx.run(
        `UNWIND $edges AS edge
         MATCH (t:Task {tenantId: $tenantId, id: edge.from}), (d:Task {tenantId: $tenantId, id: edge.to})
         MERGE (t)-[:DEPENDS_ON]->(d)`,
        { tenantId, edges },
      );
      return { ids: recordOf(ids), edgeCount: new Set(edges.map((e) => `${e.from}>${e.to}`)).size };
    });
  }

  /** Adds (task)-[:DEPENDS_ON]->(dependsOn); refuses an edge that would close a cycle. Idempotent. */
  async addDependency(tenantId: string, taskId: string, dependsOnId: string): Promise<TaskRecord> {
    if (taskId === dependsOnId) throw badInput(`Task ${taskId} cannot depend on itself`);
    return this.write(async (tx) => {
      await lockTenant(tx, tenantId);
      await this.assertTasksExist(tx, tenantId, [taskId, dependsOnId]);
      const path = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId}), (d:Task {tenantId: $tenantId, id: $dependsOnId})
         MATCH p = shortestPath((d)-[:DEPENDS_ON*1..]->(t))
         RETURN [n IN nodes(p) | n.id] AS ids`,
        { tenantId, taskId, dependsOnId },
      );
      const loop = path.records[0]?.get('ids') as string[] | undefined;
      if (loop) {
        throw badInput(`Adding ${taskId} -> ${dependsOnId} would close a cycle: ${[taskId, ...loop].join(' -> ')}`, {
          cycle: [taskId, ...loop],
        });
      }
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId}), (d:Task {tenantId: $tenantId, id: $dependsOnId})
         MERGE (t)-[:DEPENDS_ON]->(d)
         SET ${nextVersion('t')}
         RETURN ${taskProjection} AS task`,
        { tenantId, taskId, dependsOnId },
      );
      return result.records[0]?.get('task') as TaskRecord;
    });
  }

  /** Removes the edge if present; `removed` tells whether there was one. */
  async removeDependency(
    tenantId: string,
    taskId: string,
    dependsOnId: string,
  ): Promise<{ removed: boolean; task: TaskRecord }> {
    return this.write(async (tx) => {
      await lockTenant(tx, tenantId);
      await this.assertTasksExist(tx, tenantId, [taskId, dependsOnId]);
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         OPTIONAL MATCH (t)-[r:DEPENDS_ON]->(:Task {tenantId: $tenantId, id: $dependsOnId})
         DELETE r
         WITH t, count(r) AS removed
         SET ${nextVersion('t')}
         RETURN removed > 0 AS removed, ${taskProjection} AS task`,
        { tenantId, taskId, dependsOnId },
      );
      const record = result.records[0];
      return { removed: record?.get('removed') === true, task: record?.get('task') as TaskRecord };
    });
  }

  /**
   * Changes a task's status by hand (`setTaskStatus`), only along `handTransitions`: any other move is
   * refused with CONFLICT naming both statuses, and nothing is written. Setting the status the task has
   * already changes nothing. A change clears the reason, which explained the old status.
   */
  async setStatus(tenantId: string, taskId: string, status: TaskStatus): Promise<TaskRecord> {
    return this.write(async (tx) => {
      await lockTask(tx, tenantId, taskId);
      const found = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         RETURN t.status AS status, coalesce(t.owner, '') IN $roles AS ownedByAgent, ${taskProjection} AS task`,
        { tenantId, taskId, roles: agentRoles },
      );
      const record = found.records[0];
      if (!record) throw taskNotFound(taskId);
      const from = record.get('status') as TaskStatus;
      if (from === status) return record.get('task') as TaskRecord;
      const result = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND (NOT $peopleOnly OR NOT coalesce(t.owner, '') IN $roles)
         SET t.status = $status, t.statusReason = null, ${nextVersion('t')}
         RETURN ${taskProjection} AS task`,
        {
          tenantId,
          taskId,
          status,
          from: handTransitions[status],
          peopleOnly: handStatusesForPeopleOnly.includes(status),
          roles: agentRoles,
        },
      );
      const task = result.records[0]?.get('task') as TaskRecord | undefined;
      if (!task) {
        throw new AppError('CONFLICT', handRefusal(taskId, from, status, record.get('ownedByAgent') === true), {
          details: { id: taskId, from, to: status },
        });
      }
      return task;
    });
  }

  async get(tenantId: string, taskId: string): Promise<TaskRecord> {
    const [task] = await this.readTasks(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId}) RETURN ${taskProjection} AS task`,
      { tenantId, taskId },
    );
    if (!task) throw taskNotFound(taskId);
    return task;
  }

  /** The tenant's `todo` tasks, highest business value × relevance first. One query. */
  async backlog(tenantId: string, limit: number): Promise<TaskRecord[]> {
    // Columns, not a map per row: the driver decodes the keys once instead of once per task.
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, status: 'todo'})
       WITH t ORDER BY t.businessValue * t.purposeRelevance DESC, t.createdAt ASC, t.id ASC LIMIT $limit
       RETURN ${taskRecordColumns()}`,
      { tenantId, limit: neo4j.int(limit) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return sortDependencies(rowsOf(records));
  }

  /**
   * Every task of the tenant and every edge between them, for the frontend. One query. `fields` (GraphQL's
   * selection) narrows what is read: the nodes then carry only those fields and `id`, and the edges only
   * when `dependsOn` is among them.
   */
  async graph(tenantId: string, fields: Iterable<TaskField> = taskFields): Promise<TaskGraph> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) RETURN ${taskGraphColumns(fields)} ORDER BY t.createdAt, t.id`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return graphOfRows(rowsOf(records));
  }

  /** Every task of the tenant as the orchestrator's tick needs it (`TaskState`), in no particular order. One query. */
  async states(tenantId: string): Promise<TaskState[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) RETURN ${taskStateColumns}`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    // Field by field: the driver's `toObject` costs about as much CPU per record as receiving it.
    return records.map((record) => ({
      id: record.get('id') as string,
      status: record.get('status') as TaskStatus,
      statusReason: record.get('statusReason') as string | null,
      owner: record.get('owner') as string | null,
      businessValue: record.get('businessValue') as number,
      purposeRelevance: record.get('purposeRelevance') as number,
      tokensPlan: record.get('tokensPlan') as number,
      dispatchCount: record.get('dispatchCount') as number,
      description: record.get('description') as string | null,
      dependsOn: record.get('dependsOn') as string[],
      runningForMs: record.get('runningForMs') as number | null,
    }));
  }

  private async countIn(tx: ManagedTransaction, tenantId: string): Promise<number> {
    const result = await tx.run('MATCH (t:Task {tenantId: $tenantId}) RETURN count(t) AS n', { tenantId });
    return Number(result.records[0]?.get('n') ?? 0);
  }

  /** Missing tasks and other tenants' tasks get the same NOT_FOUND, so ids of others leak nothing. */
  private async assertTasksExist(tx: ManagedTransaction, tenantId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const result = await tx.run(
      'MATCH (t:Task {tenantId: $tenantId}) WHERE t.id IN $ids RETURN collect(t.id) AS found',
      {
        tenantId,
        ids,
      },
    );
    const found = new Set(result.records[0]?.get('found') as string[]);
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw taskNotFound(missing);
  }
}
