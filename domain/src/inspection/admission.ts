import { costOfTokens } from '@ai-org/core';
import { BinaryHeap } from './binary-heap';
import { indexDependencies } from './dependency-index';
import type { InspectedTask } from './inspection.types';

/** Planned cost in micro-USD; `tokensPlan` is in thousands of tokens. */
export const plannedCost = (task: InspectedTask, microUsdPer1kTokens: number): number =>
  costOfTokens(task.tokensPlan * 1000, microUsdPer1kTokens);

/**
 * Value bought per micro-USD: business value × purpose relevance ÷ planned cost. A free task ranks as if it cost
 * 1 micro-USD, so it stays comparable (and cheap work still ranks by its value) instead of dividing by zero.
 */
export const admissionRank = (task: InspectedTask, microUsdPer1kTokens: number): number =>
  (task.businessValue * task.purposeRelevance) / Math.max(1, plannedCost(task, microUsdPer1kTokens));

/** Orders task indices by rank, highest first, then by id so equal ranks come out the same on every read. */
const byRankThenId =
  (tasks: readonly InspectedTask[], ranks: Float64Array) =>
  (a: number, b: number): boolean => {
    const rankA = ranks[a] ?? 0;
    const rankB = ranks[b] ?? 0;
    if (rankA !== rankB) return rankA > rankB;
    return (tasks[a] as InspectedTask).id < (tasks[b] as InspectedTask).id;
  };

const ranksOf = (tasks: readonly InspectedTask[], microUsdPer1kTokens: number): Float64Array =>
  Float64Array.from(tasks, (task) => admissionRank(task, microUsdPer1kTokens));

/** The given tasks by rank, highest first; ties by id ascending. Dependencies play no part here. */
export const rankForAdmission = (tasks: readonly InspectedTask[], microUsdPer1kTokens: number): InspectedTask[] => {
  const before = byRankThenId(tasks, ranksOf(tasks, microUsdPer1kTokens));
  return Array.from(tasks.keys())
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
    .map((i) => tasks[i] as InspectedTask);
};

/** Work still to run: done work is finished, and failed work waits for someone to retry it. */
const stillToRun = (task: InspectedTask): boolean => task.status !== 'done' && task.status !== 'failed';

/**
 * The order in which the remaining tasks would be admitted if everything ran: each step takes the highest-ranked
 * task whose dependencies are all done or admitted before it. O((V + E) log V). A failed task is never admitted,
 * so nothing behind it is either; those tasks, and tasks on a cycle, are left out of the order.
 */
export const admissionOrder = (tasks: readonly InspectedTask[], microUsdPer1kTokens: number): InspectedTask[] => {
  const { offsets, dependents, waitingOn } = indexDependencies(tasks, stillToRun);
  const frontier = new BinaryHeap(byRankThenId(tasks, ranksOf(tasks, microUsdPer1kTokens)));
  for (let i = 0; i < tasks.length; i += 1) {
    if (waitingOn[i] === 0 && stillToRun(tasks[i] as InspectedTask)) frontier.push(i);
  }
  const order: InspectedTask[] = [];
  for (let at = frontier.pop(); at !== undefined; at = frontier.pop()) {
    order.push(tasks[at] as InspectedTask);
    const end = offsets[at + 1] ?? 0;
    for (let e = offsets[at] ?? 0; e < end; e += 1) {
      const next = dependents[e] ?? 0;
      const left = (waitingOn[next] ?? 0) - 1;
      waitingOn[next] = left;
      if (left === 0) frontier.push(next);
    }
  }
  return order;
};
