import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './binary-heap';
import { seededRandom } from './synthetic-dag';

describe('BinaryHeap', () => {
  it('pops items in the order `before` defines', () => {
    const random = seededRandom(1);
    const items = Array.from({ length: 1_000 }, () => Math.floor(random() * 100));
    const heap = new BinaryHeap((a, b) => a < b);
    for (const item of items) heap.push(item);
    expect(heap.size).toBe(items.length);
    const popped: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item);
    expect(popped).toEqual([...items].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});
