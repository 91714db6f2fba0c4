/**
 * The canonical form of a goal's plan, as Cypher: a sorted list of one line per task of the goal
 * (`task <id> <tokensPlan> <len>:<owner> <len>:<description>`) followed by a sorted list of one line per
 * DEPENDS_ON edge leaving one of its tasks (`edge <from> <to>`). Owner and description are
 * length-prefixed, so no text can make two plans read alike. The plan hash is SHA-256 of these lines
 * (`planHashOf`); an approval stores the lines themselves, and the dispatch claim recomputes them, so
 * any write that changes a task or an edge of the goal — whichever code path makes it — holds the plan
 * again. Variables inside are prefixed `pl_` so they never shadow a caller's.
 */
export const planLinesOf = (goal: string): string => `(
  COLLECT {
    MATCH (pl_t:Task {tenantId: ${goal}.tenantId, goalId: ${goal}.id})
    WITH 'task ' + pl_t.id + ' ' + toString(pl_t.tokensPlan) + ' '
         + toString(size(coalesce(pl_t.owner, ''))) + ':' + coalesce(pl_t.owner, '') + ' '
         + toString(size(pl_t.description)) + ':' + pl_t.description AS pl_line
    RETURN pl_line ORDER BY pl_line
  } + COLLECT {
    MATCH (pl_t:Task {tenantId: ${goal}.tenantId, goalId: ${goal}.id})-[:DEPENDS_ON]->(pl_d:Task)
    WITH 'edge ' + pl_t.id + ' ' + pl_d.id AS pl_line
    RETURN pl_line ORDER BY pl_line
  }
)`;

/** Σ tokensPlan (in thousands) of the goal's tasks, as Cypher. */
export const plannedKiloTokensOf = (goal: string): string =>
  `reduce(pl_sum = 0.0, pl_tokens IN COLLECT {
     MATCH (pl_t:Task {tenantId: ${goal}.tenantId, goalId: ${goal}.id}) RETURN coalesce(pl_t.tokensPlan, 0.0)
   } | pl_sum + pl_tokens)`;

/**
 * Cypher: true when task `task` may not be dispatched because the plan of its goal waits for an
 * owner: the goal needs approval and was rejected, or was never approved, or its tasks or edges changed
 * since the approval. A task without a goal, or of a goal under the threshold, is never held.
 */
export const heldForApproval = (task: string): string => `EXISTS {
  MATCH (pl_g:Goal {tenantId: ${task}.tenantId, id: ${task}.goalId})
  WHERE pl_g.approvalRequired = true
    AND (pl_g.status = 'rejected' OR pl_g.approvedPlan IS NULL OR pl_g.approvedPlan <> ${planLinesOf('pl_g')})
}`;
