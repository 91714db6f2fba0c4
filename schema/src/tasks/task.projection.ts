/** Cypher map projection of a task `t` into a TaskRecord. */
export const taskProjection = `t {
  .id, .tenantId, .description, .status, .owner, .businessValue, .tokensPlan, .tokensActual,
  .purposeRelevance, createdAt: toString(t.createdAt), statusReason: t.statusReason,
  dispatchCount: coalesce(t.dispatchCount, 0), routedBy: t.routedBy, version: coalesce(t.version, 0),
  dependsOn: COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task {tenantId: t.tenantId}) RETURN d.id ORDER BY d.id }
}`;

/**
 * The same fields as `taskProjection`, as columns (`record.toObject()` is the TaskRecord), for reads of
 * many tasks: Neo4j builds no map per row, which makes a 10,000-task graph read about 40% cheaper.
 */
export const taskColumns = `t.id AS id, t.tenantId AS tenantId, t.description AS description, t.status AS status,
  t.owner AS owner, t.businessValue AS businessValue, t.tokensPlan AS tokensPlan, t.tokensActual AS tokensActual,
  t.purposeRelevance AS purposeRelevance, toString(t.createdAt) AS createdAt, t.statusReason AS statusReason,
  coalesce(t.dispatchCount, 0) AS dispatchCount, t.routedBy AS routedBy, coalesce(t.version, 0) AS version,
  COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task {tenantId: t.tenantId}) RETURN d.id ORDER BY d.id } AS dependsOn`;

/**
 * `TaskState` as columns: only what a tick uses. The description of a task that is not failed, its dates and
 * the sorting of rows and of dependencies are left out; the dependencies come from a pattern comprehension
 * (unlabelled, unfiltered), which Neo4j evaluates much more cheaply than a `COLLECT` subquery per row.
 */
export const taskStateColumns = `t.id AS id, t.status AS status, t.statusReason AS statusReason, t.owner AS owner,
  t.businessValue AS businessValue, t.purposeRelevance AS purposeRelevance, t.tokensPlan AS tokensPlan,
  coalesce(t.dispatchCount, 0) AS dispatchCount, CASE t.status WHEN 'failed' THEN t.description END AS description,
  [(t)-[:DEPENDS_ON]->(d) | d.id] AS dependsOn,
  CASE t.status WHEN 'queued' THEN duration.inSeconds(t.queuedAt, datetime()).milliseconds
                WHEN 'doing' THEN duration.inSeconds(t.startedAt, datetime()).milliseconds END AS runningForMs`;

/**
 * Cypher: counts one more change of task `variable` (`Task.version`). Every write that changes what a
 * task event carries adds it, under the task's write lock, so versions grow in commit order: a live
 * client keeps, of two snapshots of a task, the one with the higher version, whatever order they
 * were published in.
 */
export const nextVersion = (variable: string): string => `${variable}.version = coalesce(${variable}.version, 0) + 1`;
