import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

/** A write that ends only when the test says so, remembering the batches it was given. */
const controlledWrite = () => {
  const batches: number[][] = [];
  const ends: { resolve(): void; reject(error: unknown): void }[] = [];
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...items]);
      ends.push({ resolve: () => resolve(items.map((n) => n * 10)), reject });
    });
  return { batches, ends, write };
};

describe('group commit', () => {
  it('writes a lone item at once, and the items submitted meanwhile together in the next write', async () => {
    const { batches, ends, write } = controlledWrite();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    const later = [commit.submit(2), commit.submit(3), commit.submit(4)];
    expect(batches).toEqual([[1]]);
    ends[0]?.resolve();
    expect(await first).toBe(10);
    await expect.poll(() => batches).toEqual([[1], [2, 3, 4]]);
    ends[1]?.resolve();
    // Each call gets its own item's result.
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('resolves no call before the write holding its item has ended', async () => {
    const { ends, write } = controlledWrite();
    const commit = new GroupCommit(write);
    let done = false;
    const call = commit.submit(1).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    ends[0]?.resolve();
    await call;
    expect(done).toBe(true);
  });

  it('fails every call of a failed write with its error, and writes the next ones after it', async () => {
    const { batches, ends, write } = controlledWrite();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    const second = [commit.submit(2), commit.submit(3)];
    ends[0]?.resolve();
    await first;
    await expect.poll(() => batches.length).toBe(2);
    ends[1]?.reject(new Error('Neo4j is busy'));
    for (const call of second) await expect(call).rejects.toThrow('Neo4j is busy');
    const third = commit.submit(4);
    expect(batches[2]).toEqual([4]);
    ends[2]?.resolve();
    await third;
  });

  it('splits what waits into writes of at most the batch size', async () => {
    const { batches, ends, write } = controlledWrite();
    const commit = new GroupCommit(write, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    for (let i = 0; i < 3; i += 1) {
      await expect.poll(() => batches.length).toBe(i + 1);
      ends[i]?.resolve();
    }
    await Promise.all(calls);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
