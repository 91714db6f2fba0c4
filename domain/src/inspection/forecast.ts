import { admissionOrder, plannedCost } from './admission';
import type { Forecast, ForecastInput, InspectedTask } from './inspection.types';

/** Queued and doing tasks hold a reservation already: their money is out of the budget's `left`. */
const reserved = (task: InspectedTask): boolean => task.status === 'queued' || task.status === 'doing';

/** Tasks whose money is still to be found: not done, not failed, not already holding a reservation. */
const unpaid = (task: InspectedTask): boolean => task.status !== 'done' && task.status !== 'failed' && !reserved(task);

/**
 * What finishing costs and which task the budget runs out on. Queued and doing tasks are outside both figures: the
 * caller passes the budget's `left`, which already excludes their reservations, so counting them again would spend
 * their money twice. `costToFinishMicroUsd` also counts tasks stranded behind a failed one (they are still work to
 * pay for once it is retried), while the walk follows `admissionOrder` and so never reaches them.
 */
export const forecast = (input: ForecastInput): Forecast => {
  const { tasks, leftMicroUsd, minimumLeftMicroUsd, microUsdPer1kTokens } = input;
  let costToFinishMicroUsd = 0;
  for (const task of tasks) {
    if (unpaid(task)) costToFinishMicroUsd += plannedCost(task, microUsdPer1kTokens);
  }

  const spendable = leftMicroUsd - minimumLeftMicroUsd;
  let spent = 0;
  for (const task of admissionOrder(tasks, microUsdPer1kTokens)) {
    if (reserved(task)) continue;
    spent += plannedCost(task, microUsdPer1kTokens);
    if (spent > spendable) return { costToFinishMicroUsd, firstUnaffordableTaskId: task.id };
  }
  return { costToFinishMicroUsd, firstUnaffordableTaskId: null };
};
