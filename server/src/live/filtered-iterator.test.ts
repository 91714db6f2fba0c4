import { describe, expect, it } from 'vitest';
import { filteredIterator } from './filtered-iterator';

/** A source like graphql-redis-subscriptions' iterator: `next()` waits for a push; `return()` ends waiting pulls. */
const quietSource = () => {
  const pulls: ((result: IteratorResult<number>) => void)[] = [];
  const queued: number[] = [];
  let returned = 0;
  const source: AsyncIterator<number> = {
    next: () =>
      new Promise((resolve) => {
        const value = queued.shift();
        if (value === undefined) pulls.push(resolve);
        else resolve({ value, done: false });
      }),
    async return() {
      returned += 1;
      for (const pull of pulls.splice(0)) pull({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
  };
  return {
    source,
    push(value: number) {
      const pull = pulls.shift();
      if (pull) pull({ value, done: false });
      else queued.push(value);
    },
    returned: () => returned,
  };
};

describe('filteredIterator', () => {
  it('yields only the values it keeps, in order', async () => {
    const s = quietSource();
    const odd = filteredIterator(s.source, (n) => n % 2 === 1);
    for (const n of [1, 2, 3, 4, 5]) s.push(n);
    expect([await odd.next(), await odd.next(), await odd.next()].map((r) => r.value)).toEqual([1, 3, 5]);
  });

  it('releases a quiet source on return() while a next() is waiting, and ends that next()', async () => {
    const s = quietSource();
    const events = filteredIterator(s.source, () => true);
    const waiting = events.next();
    await Promise.resolve(); // the next() is now waiting on the source

    await expect(events.return?.()).resolves.toEqual({ value: undefined, done: true });
    expect(s.returned()).toBe(1);
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
  });

  it('releases the source once, and next() after return() asks the source for nothing', async () => {
    const s = quietSource();
    const events = filteredIterator(s.source, () => true);
    await events.return?.();
    await events.return?.();
    s.push(7);
    expect(await events.next()).toEqual({ value: undefined, done: true });
    expect(s.returned()).toBe(1);
  });

  it('releases the source when a filtered-out wait is interrupted', async () => {
    const s = quietSource();
    const even = filteredIterator(s.source, (n) => n % 2 === 0);
    const waiting = even.next();
    s.push(1); // dropped; the iterator waits on the source again
    await new Promise((resolve) => setImmediate(resolve));
    await even.return?.();
    expect(s.returned()).toBe(1);
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('releases the source and rethrows when the source fails', async () => {
    let returned = 0;
    const failing: AsyncIterator<number> = {
      next: () => Promise.reject(new Error('redis down')),
      async return() {
        returned += 1;
        return { value: undefined, done: true };
      },
    };
    await expect(filteredIterator(failing, () => true).next()).rejects.toThrow('redis down');
    expect(returned).toBe(1);
  });
});
