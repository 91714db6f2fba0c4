import { queueSeparator } from '@ai-org/core';
import type { Driver } from 'neo4j-driver';
import { writeTransaction } from '../write-transaction';
import { nextVersion } from './task.projection';
import { isCurrentDispatch, lockTask } from './task-lock';
import { runTransitions } from './task-transitions';

export type TaskHold =
  /** The reason was written: announce the task. */
  | { readonly state: 'marked' }
  /** The task showed this reason already, or moved on (another dispatch, changed by hand): nothing written. */
  | { readonly state: 'unchanged' };

/**
 * Says on a task why its job waits (a tenant limit held it back), without changing its status: a
 * `queued` or `doing` task of this dispatch gets `statusReason`; the worker's next `startRun` clears it.
 */
export class TaskHoldRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  markHeld(input: { tenantId: string; taskId: string; dispatchId: string; reason: string }): Promise<TaskHold> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      await lockTask(tx, input.tenantId, input.taskId);
      const { records } = await tx.run(
        `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
         WHERE t.status IN $from AND ${isCurrentDispatch} AND coalesce(t.statusReason, '') <> $reason
         SET t.statusReason = $reason, ${nextVersion('t')}
         RETURN t.id AS id`,
        { ...input, separator: queueSeparator, from: runTransitions.markHeld.from },
      );
      return records.length > 0 ? { state: 'marked' } : { state: 'unchanged' };
    });
  }
}
