import { describe, expect, it } from 'vitest';
import { findCycle } from './dag';

describe('findCycle', () => {
  it('finds no cycle in a DAG with shared dependencies', () => {
    expect(
      findCycle([
        { from: 'c', to: 'a' },
        { from: 'c', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'd', to: 'c' },
      ]),
    ).toBeNull();
  });

  it('returns the loop of a three-node cycle', () => {
    const cycle = findCycle([
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
    ]);
    expect(cycle).toHaveLength(4);
    expect(cycle?.[0]).toBe(cycle?.[3]);
  });

  it('detects a self-loop', () => {
    expect(findCycle([{ from: 'a', to: 'a' }])).toEqual(['a', 'a']);
  });

  it('handles a chain of 100,000 tasks without overflowing the stack', () => {
    const edges = Array.from({ length: 100_000 }, (_, i) => ({ from: `t${i + 1}`, to: `t${i}` }));
    expect(findCycle(edges)).toBeNull();
    expect(findCycle([...edges, { from: 't0', to: 't100000' }])).not.toBeNull();
  });
});
