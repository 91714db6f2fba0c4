/** Cypher map projection of a task `t` into a TaskRecord. */
export const taskProjection = `t {
  .id, .tenantId, .description, .status, .owner, .businessValue, .tokensPlan, .tokensActual,
  .purposeRelevance, createdAt: toString(t.createdAt), statusReason: t.statusReason,
  dispatchCount: coalesce(t.dispatchCount, 0), routedBy: t.routedBy,
  dependsOn: COLLECT { MATCH (t)-[:DEPENDS_ON]->(d:Task {tenantId: t.tenantId}) RETURN d.id ORDER BY d.id }
}`;
