import type { DependencyIndex } from './dependency-index';
import type { CriticalPath, InspectedTask } from './inspection.types';

const noTask = -1;

/** Planned tokens as a path weight; a negative plan counts as nothing, as `costOfTokens` treats it. */
const weightOf = (task: InspectedTask): number => Math.max(0, task.tokensPlan);

/** Follows the `via` links back from the last task of a chain and returns its ids first to last. */
const chainIds = (tasks: readonly InspectedTask[], via: Int32Array, last: number): string[] => {
  const ids: string[] = [];
  for (let at = last; at !== noTask; at = via[at] ?? noTask) ids.push((tasks[at] as InspectedTask).id);
  return ids.reverse();
};

/**
 * The longest chains through the remaining work, by task count and by planned tokens, in one Kahn pass: O(V + E),
 * no recursion, so a 100,000-task chain is as safe as a wide graph. `index` must have been built over the tasks
 * that are not done. A task on a cycle never runs out of dependencies to wait for, so it is never dequeued: it and
 * everything that waits on it are left out of both chains instead of hanging the walk.
 */
export const longestPaths = (tasks: readonly InspectedTask[], index: DependencyIndex): CriticalPath => {
  const count = tasks.length;
  const { offsets, dependents } = index;
  const waitingOn = index.waitingOn.slice();
  // The best chain that ends at each task, and the task before it on that chain.
  const chainTasks = new Int32Array(count);
  const chainTokens = new Float64Array(count);
  const viaCount = new Int32Array(count).fill(noTask);
  const viaTokens = new Int32Array(count).fill(noTask);
  const queue = new Int32Array(count);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < count; i += 1) {
    const task = tasks[i] as InspectedTask;
    if (task.status === 'done') continue;
    chainTasks[i] = 1;
    chainTokens[i] = weightOf(task);
    if (waitingOn[i] === 0) {
      queue[tail] = i;
      tail += 1;
    }
  }

  let longest = noTask;
  let heaviest = noTask;
  while (head < tail) {
    const at = queue[head] ?? 0;
    head += 1;
    // Every dependency of `at` has been dequeued before it, so its chains are final now.
    const atTasks = chainTasks[at] ?? 0;
    const atTokens = chainTokens[at] ?? 0;
    if (longest === noTask || atTasks > (chainTasks[longest] ?? 0)) longest = at;
    if (heaviest === noTask || atTokens > (chainTokens[heaviest] ?? 0)) heaviest = at;
    const end = offsets[at + 1] ?? 0;
    for (let e = offsets[at] ?? 0; e < end; e += 1) {
      const next = dependents[e] ?? 0;
      if (atTasks + 1 > (chainTasks[next] ?? 0)) {
        chainTasks[next] = atTasks + 1;
        viaCount[next] = at;
      }
      const tokens = atTokens + weightOf(tasks[next] as InspectedTask);
      if (tokens > (chainTokens[next] ?? 0)) {
        chainTokens[next] = tokens;
        viaTokens[next] = at;
      }
      const left = (waitingOn[next] ?? 0) - 1;
      waitingOn[next] = left;
      if (left === 0) {
        queue[tail] = next;
        tail += 1;
      }
    }
  }

  if (longest === noTask || heaviest === noTask) {
    return { byCount: { tasks: 0, taskIds: [] }, byTokens: { tokens: 0, taskIds: [] } };
  }
  return {
    byCount: { tasks: chainTasks[longest] ?? 0, taskIds: chainIds(tasks, viaCount, longest) },
    byTokens: { tokens: chainTokens[heaviest] ?? 0, taskIds: chainIds(tasks, viaTokens, heaviest) },
  };
};
