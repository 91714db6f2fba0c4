import type { TaskStatus } from './task.types';

/**
 * The task state machine in one place: which write may move a task from which status to which, and
 * who performs it. Every status write's Cypher guards on these lists (`WHERE t.status IN $from`), so a
 * write that finds its task in another status changes nothing and says so. docs/task-state-machine.md
 * is the specification these tables implement.
 */
export interface TransitionRule {
  /** The statuses the task must be in for the write to happen. */
  readonly from: readonly TaskStatus[];
  /** The statuses the write may set. */
  readonly to: readonly TaskStatus[];
  /** Who performs the write. */
  readonly by: string;
}

/** The automatic writes, by the repository method that performs them. */
export const runTransitions = {
  /** `TaskRunRepository.claimForDispatch`: a ready task is claimed, its dispatch counted. */
  claimForDispatch: {
    from: ['todo', 'waiting_budget', 'blocked', 'failed'],
    to: ['queued'],
    by: 'dispatch (dispatchTask, dispatchReadyTasks, orchestrator tick)',
  },
  /**
   * `TaskRunRepository.markWaitingBudget`: the reservation of a claim was refused (`queued`, the same
   * dispatch only), or a ready task ranks below one the budget refused (the status it was read in).
   */
  markWaitingBudget: {
    from: ['queued', 'todo', 'waiting_budget', 'blocked'],
    to: ['waiting_budget'],
    by: 'dispatch',
  },
  /** `TaskRunRepository.undoClaim`: a claim whose reservation or publish failed, or whose job was lost, goes back. */
  undoClaim: {
    from: ['queued'],
    to: ['todo', 'waiting_budget', 'blocked', 'failed'],
    by: 'dispatch, orchestrator recovery of lost claims',
  },
  /**
   * `TaskRunRepository.recoverLostRun`: a task whose job vanished from its queue (Redis lost its data)
   * while it ran goes back to be dispatched again; the current dispatch only.
   */
  recoverLostRun: { from: ['doing'], to: ['todo'], by: 'orchestrator recovery of lost jobs' },
  /**
   * `TaskHoldRepository.markHeld`: a tenant limit (running jobs, tokens per minute) put the job of the
   * task's current dispatch back on its queue; only `statusReason` changes, the status stays.
   */
  markHeld: { from: ['queued', 'doing'], to: ['queued', 'doing'], by: 'role worker (tenant limit)' },
  /** `TaskRunRepository.startRun`: the worker of the task's current dispatch takes its job (again). */
  startRun: { from: ['queued', 'doing'], to: ['doing'], by: 'role worker' },
  /** `TaskRunRepository.completeRun`: the run of the task's current dispatch stored its artifact. */
  completeRun: { from: ['doing'], to: ['done'], by: 'role worker' },
  /** `TaskRunRepository.failRun`: the run of the task's current dispatch failed for good. */
  failRun: { from: ['queued', 'doing'], to: ['failed'], by: 'role worker' },
  /** The same `failRun` query: every task that waits for the failed one, directly or not. */
  blockDependents: {
    from: ['todo', 'waiting_budget', 'blocked'],
    to: ['blocked'],
    by: 'role worker (failRun of a dependency)',
  },
  /**
   * `PlanApprovalRepository.reject`: an owner rejected the plan of the task's goal while it waited for
   * spend approval; its tasks not dispatched yet fail ("plan rejected"), nothing was reserved for them.
   */
  rejectPlan: { from: ['todo', 'waiting_budget', 'blocked'], to: ['failed'], by: 'owner (rejectPlan)' },
} as const satisfies Record<string, TransitionRule>;

/**
 * The statuses a task may be created in (`createTask`, `createPlan`, `POST /task`, the planner, the
 * seed): those that need no claim, reservation or job. `queued`, `doing` and `waiting_budget` are set
 * by dispatch and workers only.
 */
export const creatableStatuses = ['todo', 'done', 'failed', 'blocked'] as const satisfies readonly TaskStatus[];

export const isCreatableStatus = (status: TaskStatus): boolean =>
  (creatableStatuses as readonly TaskStatus[]).includes(status);

/**
 * `setTaskStatus` (`TaskRepository.setStatus`), any caller of the tenant: target status → the
 * statuses a task may be moved from by hand. `queued` and `waiting_budget` are dispatch's alone; a
 * `done` task may only be reopened (`todo`, `blocked`), never put back into a run or failed.
 */
export const handTransitions: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ['queued', 'doing', 'done', 'failed', 'blocked', 'waiting_budget'],
  queued: [],
  doing: ['todo', 'failed', 'blocked'],
  done: ['todo', 'queued', 'doing', 'failed', 'blocked', 'waiting_budget'],
  failed: ['todo', 'queued', 'doing', 'blocked', 'waiting_budget'],
  blocked: ['todo', 'queued', 'doing', 'done', 'failed', 'waiting_budget'],
  waiting_budget: [],
};

/**
 * Statuses a task owned by an agent role reaches only through its worker: by hand, only a task for a
 * person (or for nobody yet) is set `doing`.
 */
export const handStatusesForPeopleOnly: readonly TaskStatus[] = ['doing'];

/** Whether `setTaskStatus` may move a task from `from` to `to` (the same status is no transition). */
export const allowedByHand = (from: TaskStatus, to: TaskStatus, ownedByAgent: boolean): boolean =>
  from !== to && handTransitions[to].includes(from) && !(ownedByAgent && handStatusesForPeopleOnly.includes(to));

/** Why `setTaskStatus` refuses a move, for the CONFLICT error: names both statuses and what to do instead. */
export const handRefusal = (taskId: string, from: TaskStatus, to: TaskStatus, ownedByAgent: boolean): string => {
  const base = `Task ${taskId} is ${from}; it cannot be set to ${to} by hand`;
  if (to === 'queued' || to === 'waiting_budget') return `${base}: only dispatch sets it (dispatchTask)`;
  if (from === 'done') return `${base}: a done task can only be reopened (todo or blocked)`;
  if (ownedByAgent && handStatusesForPeopleOnly.includes(to))
    return `${base}: only its agent's worker starts it (dispatchTask)`;
  return base;
};
