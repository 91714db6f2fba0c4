import { isAgentRole } from '@ai-org/core';
import type { TaskState, TaskStatus } from './task.types';

/** The statuses `TaskRunRepository.readyTasks` dispatches from (kept equal to its own list). */
const dispatchable: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['todo', 'waiting_budget', 'blocked']);

/**
 * The tasks of one read of a tenant that `TaskRunRepository.readyTasks` could return: an agent's task in a
 * dispatchable status, with planned tokens and every dependency a done task of the same read. A superset of
 * it: the spend-approval hold is not looked at. An empty answer means that a ready-task query would find
 * nothing in that read, so that a tick can leave it out.
 */
export const dispatchCandidates = (tasks: readonly TaskState[]): TaskState[] => {
  const done = new Set<string>();
  for (const task of tasks) if (task.status === 'done') done.add(task.id);
  return tasks.filter(
    (task) =>
      dispatchable.has(task.status) &&
      isAgentRole(task.owner) &&
      task.tokensPlan > 0 &&
      // A dependency outside the read (another tenant's task) is never done, as readyTasks has it.
      task.dependsOn.every((id) => done.has(id)),
  );
};
