import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { TaskGraph, TaskRecord } from './task.types';

export type TaskField = keyof TaskRecord;

/** Each field of a TaskRecord as a Cypher expression on the task `t`. */
const columnOf: { readonly [F in TaskField]: string } = {
  id: 't.id',
  tenantId: 't.tenantId',
  description: 't.description',
  status: 't.status',
  owner: 't.owner',
  businessValue: 't.businessValue',
  tokensPlan: 't.tokensPlan',
  tokensActual: 't.tokensActual',
  purposeRelevance: 't.purposeRelevance',
  createdAt: 'toString(t.createdAt)',
  statusReason: 't.statusReason',
  dispatchCount: 'coalesce(t.dispatchCount, 0)',
  routedBy: 't.routedBy',
  version: 'coalesce(t.version, 0)',
  // Unlabelled, unfiltered and unsorted: a pattern comprehension costs Neo4j far less per task than a
  // `COLLECT { … ORDER BY }` subquery. `graphOfRows` keeps only the tenant's own tasks and sorts.
  dependsOn: '[(t)-[:DEPENDS_ON]->(d) | d.id]',
};

/** Every field of a TaskRecord: what `TaskRepository.graph` reads unless told fewer. */
export const taskFields = Object.keys(columnOf) as readonly TaskField[];

/** `RETURN` columns of the given fields, always with `id`; `rowsOf` makes each record an object of exactly them. */
export const taskGraphColumns = (fields: Iterable<TaskField>): string =>
  [...new Set<TaskField>(['id', ...fields])].map((field) => `${columnOf[field]} AS ${field}`).join(', ');

/**
 * Every field of a TaskRecord as columns, for a read of some of a tenant's tasks (`$tenantId`): there the
 * dependencies are not all among the rows, so Cypher keeps the tenant's own; `sortDependencies` sorts them.
 * `d` has no label on purpose: with `(d:Task {tenantId})` the planner may start from the tenant index on
 * `d` and expand into every row (it did on a database whose statistics said it was small: 100 rows × 1,000
 * tasks); without one, the only plan is to expand from `t`.
 */
export const taskRecordColumns = (): string =>
  `${taskGraphColumns(taskFields.filter((field) => field !== 'dependsOn'))},
   [(t)-[:DEPENDS_ON]->(d) WHERE d.tenantId = $tenantId | d.id] AS dependsOn`;

/** Rows of every field (`taskRecordColumns`) as TaskRecords, dependencies sorted by id as `taskProjection` has them. */
export const sortDependencies = (rows: TaskGraphRow[]): TaskRecord[] => {
  for (const row of rows) row.dependsOn = [...(row.dependsOn ?? [])].sort();
  return rows as TaskRecord[];
};

/** A graph row: the fields asked for; `dependsOn` as Neo4j returned it (any tenant's ids, any order). */
export type TaskGraphRow = { -readonly [F in TaskField]?: TaskRecord[F] } & Pick<TaskRecord, 'id'>;

/**
 * Records as plain objects, one key per column. `Record.toObject()` does the same through a generator per
 * record, which cost about 1.2 ms more per 1,000 rows.
 */
export const rowsOf = (records: readonly Neo4jRecord[]): TaskGraphRow[] => {
  const keys = (records[0]?.keys ?? []) as string[];
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i += 1) row[keys[i] as string] = record.get(i);
    return row as TaskGraphRow;
  });
};

/**
 * The graph of every task of one tenant, from its rows. Ids are unique across tenants (the `task_id`
 * constraint), so a dependency whose id is not among the rows is another tenant's task (an edge no API
 * write makes, but a bug or repair could): dropped here, as the tenant filter in Cypher dropped it before.
 * Dependencies are sorted by id, as `taskProjection` returns them. The edges come from `dependsOn`: none
 * when it was not read. The rows are the caller's own (fresh from the driver) and are completed in place.
 */
export const graphOfRows = (rows: TaskGraphRow[]): TaskGraph => {
  const own = new Set(rows.map((row) => row.id));
  const edges: { from: string; to: string }[] = [];
  for (const row of rows) {
    if (row.dependsOn === undefined) continue;
    row.dependsOn = row.dependsOn.filter((id) => own.has(id)).sort();
    for (const to of row.dependsOn) edges.push({ from: row.id, to });
  }
  // A row has the fields asked for; a caller that asked for fewer reads no others (see TaskRepository.graph).
  return { nodes: rows as TaskRecord[], edges };
};
