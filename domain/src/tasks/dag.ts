import type { DependencyEdge } from '@ai-org/schema';

/**
 * Finds a cycle in a directed graph given as edges, or returns null. Used to refuse a plan whose
 * edges would close a loop before anything is written.
 */
export const findCycle = (edges: readonly DependencyEdge[]): string[] | null => {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const targets = next.get(from) ?? [];
    targets.push(to);
    next.set(from, targets);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  // Iterative DFS so a plan of thousands of chained tasks cannot overflow the call stack.
  for (const start of next.keys()) {
    if (state.has(start)) continue;
    const frames: { node: string; index: number }[] = [{ node: start, index: 0 }];
    state.set(start, 'visiting');
    stack.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { node: string; index: number };
      const targets = next.get(frame.node) ?? [];
      const target = targets[frame.index];
      frame.index += 1;
      if (target === undefined) {
        state.set(frame.node, 'done');
        stack.pop();
        frames.pop();
      } else if (state.get(target) === 'visiting') {
        return [...stack.slice(stack.indexOf(target)), target];
      } else if (!state.has(target)) {
        state.set(target, 'visiting');
        stack.push(target);
        frames.push({ node: target, index: 0 });
      }
    }
  }
  return null;
};
