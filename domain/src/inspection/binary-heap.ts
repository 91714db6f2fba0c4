/**
 * A binary heap of task indices ordered by `before` (true when `a` must come out before `b`). Admission pops one
 * task per step from a frontier that changes as tasks are admitted, so a heap keeps that at O(log V) per step where
 * re-sorting the frontier would not.
 */
export class BinaryHeap {
  private readonly items: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: number): void {
    const items = this.items;
    let at = items.length;
    items.push(item);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = items[parent] ?? 0;
      if (!this.before(item, above)) break;
      items[at] = above;
      at = parent;
    }
    items[at] = item;
  }

  /** Removes and returns the first item, or undefined when the heap is empty. */
  pop(): number | undefined {
    const items = this.items;
    const first = items[0];
    const last = items.pop();
    if (first === undefined || last === undefined || items.length === 0) return first;
    let at = 0;
    const count = items.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) break;
      const right = left + 1;
      const leftItem = items[left] ?? 0;
      const rightItem = items[right];
      const child = rightItem !== undefined && this.before(rightItem, leftItem) ? right : left;
      const childItem = items[child] ?? 0;
      if (!this.before(childItem, last)) break;
      items[at] = childItem;
      at = child;
    }
    items[at] = last;
    return first;
  }
}
