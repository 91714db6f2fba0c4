/** Cypher map projection of a task `t` into a TaskRecord. */
export const taskProjection = `t {
  .id, .tenantId, .description, .status, .owner, .businessValue, .tokensPlan, .tokensActual,
  .purposeRelevance, createdAt: toString(t.createdAt), statusReason: t.statusReason,
  dispatchCount: coalesce(t.dispatchCount, 0), routedBy: t.routedBy, version: coalesce(t.version, 0),
  dependsOn: COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task {tenantId: t.tenantId}) RETURN d.id ORDER BY d.id }
}`;

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
