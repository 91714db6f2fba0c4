import type { InspectedTask } from './inspection.types';

/**
 * Mulberry32: a tiny seeded PRNG, so the large graphs the tests and the bench build are the same on every run
 * and a failure can be replayed.
 */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface SyntheticDagOptions {
  readonly size: number;
  /** Random dependencies per task on top of the chain edge, each on an earlier task (so no cycle can form). */
  readonly extraEdgesPerTask: number;
  /** The first this many tasks of the chain are done. */
  readonly doneCount: number;
  readonly seed: number;
}

/**
 * A chain `t0 ← t1 ← … ← t(size-1)` plus random edges that all point back along it, shuffled. The chain visits
 * every task, so the longest remaining path is the whole undone part of the chain, by count and (weights being
 * non-negative) by tokens: large-graph results can be checked without a second implementation. Only for tests and
 * benches; not exported from the package.
 */
export const syntheticDag = ({ size, extraEdgesPerTask, doneCount, seed }: SyntheticDagOptions): InspectedTask[] => {
  const random = seededRandom(seed);
  const tasks: InspectedTask[] = [];
  for (let i = 0; i < size; i += 1) {
    const dependsOn = i === 0 ? [] : [`t${i - 1}`];
    for (let k = 0; k < extraEdgesPerTask && i > 1; k += 1) dependsOn.push(`t${Math.floor(random() * (i - 1))}`);
    tasks.push({
      id: `t${i}`,
      status: i < doneCount ? 'done' : 'todo',
      businessValue: 1 + Math.floor(random() * 10),
      purposeRelevance: random(),
      tokensPlan: 1 + Math.floor(random() * 20),
      dependsOn,
    });
  }
  // Fisher–Yates, so the input order says nothing about the dependency order.
  for (let i = tasks.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const swap = tasks[i] as InspectedTask;
    tasks[i] = tasks[j] as InspectedTask;
    tasks[j] = swap;
  }
  return tasks;
};
