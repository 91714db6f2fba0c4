import type { InspectedTask } from './inspection.types';

/**
 * The dependency edges that still matter, in index form, so the graph walks touch flat typed arrays instead of
 * maps of strings: the dependents of task `i` are `dependents[offsets[i]]` up to `dependents[offsets[i + 1]]`.
 */
export interface DependencyIndex {
  readonly offsets: Int32Array;
  readonly dependents: Int32Array;
  /** For each task, how many counted dependencies it waits for (0 for tasks that do not take part). */
  readonly waitingOn: Int32Array;
}

/**
 * Indexes the edges of the tasks that take part. An edge counts when its dependency is in the list and not done:
 * done work waits for nothing, and ids outside the list are ignored. A dependency that does not take part itself
 * (a failed task, for admission) still counts, so whatever waits for it is never released. Ids are primary keys;
 * should one repeat, edges point at its first occurrence.
 */
export const indexDependencies = (
  tasks: readonly InspectedTask[],
  takesPart: (task: InspectedTask) => boolean,
): DependencyIndex => {
  const count = tasks.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const id = (tasks[i] as InspectedTask).id;
    if (!indexOf.has(id)) indexOf.set(id, i);
  }

  let maxEdges = 0;
  for (const task of tasks) maxEdges += task.dependsOn.length;
  const edgeFrom = new Int32Array(maxEdges);
  const edgeTo = new Int32Array(maxEdges);
  const offsets = new Int32Array(count + 1);
  const waitingOn = new Int32Array(count);

  // First pass: resolve ids once and count each dependency's dependents.
  let edges = 0;
  for (let i = 0; i < count; i += 1) {
    const task = tasks[i] as InspectedTask;
    if (!takesPart(task)) continue;
    for (const id of task.dependsOn) {
      const dependency = indexOf.get(id);
      if (dependency === undefined || tasks[dependency]?.status === 'done') continue;
      edgeFrom[edges] = dependency;
      edgeTo[edges] = i;
      edges += 1;
      offsets[dependency + 1] = (offsets[dependency + 1] ?? 0) + 1;
      waitingOn[i] = (waitingOn[i] ?? 0) + 1;
    }
  }

  // Second pass: prefix sums turn counts into offsets, then each edge drops into its dependency's slice.
  for (let i = 0; i < count; i += 1) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const cursor = offsets.slice(0, count);
  const dependents = new Int32Array(edges);
  for (let e = 0; e < edges; e += 1) {
    const dependency = edgeFrom[e] ?? 0;
    const slot = cursor[dependency] ?? 0;
    dependents[slot] = edgeTo[e] ?? 0;
    cursor[dependency] = slot + 1;
  }
  return { offsets, dependents, waitingOn };
};
