import type { ManagedTransaction } from 'neo4j-driver';

/**
 * Write-locks a task for the rest of the transaction, so the status a guarded write then checks
 * (`WHERE t.status IN $from`) cannot change before it commits: a concurrent write waits and then sees
 * this one's result. Neo4j takes a node's write lock on SET (a plain MATCH takes none); the dummy
 * property is removed again at once, so the lock itself changes nothing.
 */
export const lockTask = async (tx: ManagedTransaction, tenantId: string, taskId: string): Promise<void> => {
  await tx.run('MATCH (t:Task {tenantId: $tenantId, id: $taskId}) SET t._lock = true REMOVE t._lock', {
    tenantId,
    taskId,
  });
};

/** `lockTask` for many tasks in one statement, taken in the order given (give them sorted: see `claimManyForDispatch`). */
export const lockTasks = async (
  tx: ManagedTransaction,
  tenantId: string,
  taskIds: readonly string[],
): Promise<void> => {
  await tx.run(
    'UNWIND $taskIds AS taskId MATCH (t:Task {tenantId: $tenantId, id: taskId}) SET t._lock = true REMOVE t._lock',
    { tenantId, taskIds },
  );
};

/** Cypher: true when `t`'s current dispatch is `$dispatchId` (see `dispatchIdOf`; `$separator` is its separator). */
export const isCurrentDispatch = '$dispatchId = t.id + $separator + toString(toInteger(coalesce(t.dispatchCount, 0)))';
