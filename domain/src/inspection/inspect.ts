import { indexDependencies } from './dependency-index';
import type { InspectedTask, Inspection } from './inspection.types';
import { longestPaths } from './longest-paths';

/** Statuses of tasks that have not been admitted yet and would be, once what they need is done. */
const admissible = new Set<InspectedTask['status']>(['todo', 'waiting_budget', 'blocked']);

/**
 * Summarises one read of a tenant's task graph in O(V + E). Failed tasks are remaining work: the goal is not met
 * until they are redone, so they sit on the critical path and in `remainingTokens` like any task that is not done.
 */
export const inspect = (tasks: readonly InspectedTask[]): Inspection => {
  const index = indexDependencies(tasks, (task) => task.status !== 'done');
  let done = 0;
  let failed = 0;
  let running = 0;
  let blockedByFailure = 0;
  let waitingForBudget = 0;
  let ready = 0;
  let totalValue = 0;
  let doneValue = 0;
  let remainingTokens = 0;
  for (let i = 0; i < tasks.length; i += 1) {
    const task = tasks[i] as InspectedTask;
    totalValue += task.businessValue;
    if (task.status === 'done') {
      done += 1;
      doneValue += task.businessValue;
      continue;
    }
    remainingTokens += Math.max(0, task.tokensPlan);
    if (task.status === 'failed') failed += 1;
    else if (task.status === 'queued' || task.status === 'doing') running += 1;
    else if (task.status === 'blocked') blockedByFailure += 1;
    else if (task.status === 'waiting_budget') waitingForBudget += 1;
    // The index counts only known dependencies that are not done, so zero means every one of them is done.
    if (admissible.has(task.status) && index.waitingOn[i] === 0) ready += 1;
  }
  return {
    total: tasks.length,
    done,
    failed,
    running,
    blockedByFailure,
    waitingForBudget,
    ready,
    criticalPath: longestPaths(tasks, index),
    progress: totalValue === 0 ? 0 : doneValue / totalValue,
    remainingTokens,
  };
};
