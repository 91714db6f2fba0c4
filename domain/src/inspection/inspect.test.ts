import { describe, expect, it } from 'vitest';
import { inspect } from './inspect';
import type { InspectedTask } from './inspection.types';
import { syntheticDag } from './synthetic-dag';

const task = (
  id: string,
  status: InspectedTask['status'],
  dependsOn: readonly string[] = [],
  fields: Partial<Pick<InspectedTask, 'businessValue' | 'tokensPlan' | 'purposeRelevance'>> = {},
): InspectedTask => ({ id, status, dependsOn, businessValue: 1, purposeRelevance: 1, tokensPlan: 1, ...fields });

const emptyPath = { byCount: { tasks: 0, taskIds: [] }, byTokens: { tokens: 0, taskIds: [] } };

describe('inspect', () => {
  it('summarises a small graph checked by hand', () => {
    // id  status          deps    value tokens(k)
    // a   done            -       10    5
    // b   doing           a        5    2
    // c   todo            b        4    1
    // d   todo            c        3    1
    // e   todo            d        2    1
    // f   waiting_budget  a        6   20
    // g   todo            f        1   30
    // h   failed          -        2    3
    // i   blocked         h        1    4
    // j   queued          -        3    2
    // k   done            -        4    9
    // l   todo            a, k     0    0
    //
    // Counts: done a,k = 2; failed h = 1; running b,j = 2; blocked i = 1; waiting f = 1.
    // Ready: f (a done) and l (a, k done); c waits for b (doing), g for f, i for h (failed) → 2.
    // Remaining (not done): b c d e f g h i j l, with edges b→c→d→e, f→g, h→i (a and k are done, so l is free).
    //   By count: b,c,d,e = 4 tasks (f,g and h,i are 2). By tokens: f,g = 20+30 = 50 (b..e = 5, h,i = 7).
    // Progress: done value 10+4 = 14 of 10+5+4+3+2+6+1+2+1+3+4+0 = 41.
    // Remaining tokens: 2+1+1+1+20+30+3+4+2+0 = 64.
    const tasks = [
      task('a', 'done', [], { businessValue: 10, tokensPlan: 5 }),
      task('b', 'doing', ['a'], { businessValue: 5, tokensPlan: 2 }),
      task('c', 'todo', ['b'], { businessValue: 4, tokensPlan: 1 }),
      task('d', 'todo', ['c'], { businessValue: 3, tokensPlan: 1 }),
      task('e', 'todo', ['d'], { businessValue: 2, tokensPlan: 1 }),
      task('f', 'waiting_budget', ['a'], { businessValue: 6, tokensPlan: 20 }),
      task('g', 'todo', ['f'], { businessValue: 1, tokensPlan: 30 }),
      task('h', 'failed', [], { businessValue: 2, tokensPlan: 3 }),
      task('i', 'blocked', ['h'], { businessValue: 1, tokensPlan: 4 }),
      task('j', 'queued', [], { businessValue: 3, tokensPlan: 2 }),
      task('k', 'done', [], { businessValue: 4, tokensPlan: 9 }),
      task('l', 'todo', ['a', 'k'], { businessValue: 0, tokensPlan: 0 }),
    ];
    expect(inspect(tasks)).toEqual({
      total: 12,
      done: 2,
      failed: 1,
      running: 2,
      blockedByFailure: 1,
      waitingForBudget: 1,
      ready: 2,
      criticalPath: {
        byCount: { tasks: 4, taskIds: ['b', 'c', 'd', 'e'] },
        byTokens: { tokens: 50, taskIds: ['f', 'g'] },
      },
      progress: 14 / 41,
      remainingTokens: 64,
    });
  });

  it('reports an empty graph as zeros', () => {
    expect(inspect([])).toEqual({
      total: 0,
      done: 0,
      failed: 0,
      running: 0,
      blockedByFailure: 0,
      waitingForBudget: 0,
      ready: 0,
      criticalPath: emptyPath,
      progress: 0,
      remainingTokens: 0,
    });
  });

  it('reports finished work as full progress with no critical path', () => {
    const result = inspect([task('a', 'done'), task('b', 'done', ['a'], { businessValue: 3 })]);
    expect(result).toMatchObject({ total: 2, done: 2, ready: 0, progress: 1, remainingTokens: 0 });
    expect(result.criticalPath).toEqual(emptyPath);
  });

  it('has zero progress when no task carries value', () => {
    expect(inspect([task('a', 'done', [], { businessValue: 0 })]).progress).toBe(0);
  });

  it('ignores dependencies on ids that are not in the list', () => {
    const result = inspect([task('a', 'todo', ['ghost']), task('b', 'blocked', ['a', 'ghost'])]);
    expect(result.ready).toBe(1);
    expect(result.criticalPath.byCount).toEqual({ tasks: 2, taskIds: ['a', 'b'] });
  });

  it('keeps failed tasks on the critical path: they still have to be redone', () => {
    const result = inspect([task('x', 'failed', [], { tokensPlan: 7 }), task('y', 'blocked', ['x'])]);
    expect(result.criticalPath.byTokens).toEqual({ tokens: 8, taskIds: ['x', 'y'] });
    expect(result.remainingTokens).toBe(8);
  });

  it('leaves tasks on a cycle (and what waits on them) out of the critical path instead of hanging', () => {
    const result = inspect([
      task('a', 'todo', ['b']),
      task('b', 'todo', ['a']),
      task('c', 'todo', ['a']),
      task('self', 'todo', ['self']),
      task('d', 'todo'),
    ]);
    expect(result.criticalPath).toEqual({
      byCount: { tasks: 1, taskIds: ['d'] },
      byTokens: { tokens: 1, taskIds: ['d'] },
    });
    expect(result.ready).toBe(1);
    expect(result.total).toBe(5);
  });

  it('finds the critical path of a 100,000-task DAG given in shuffled order', () => {
    const size = 100_000;
    const doneCount = 1_000;
    const tasks = syntheticDag({ size, extraEdgesPerTask: 2, doneCount, seed: 42 });
    const chain = Array.from({ length: size - doneCount }, (_, i) => `t${doneCount + i}`);
    const remainingTokens = tasks.filter((t) => t.status !== 'done').reduce((sum, t) => sum + t.tokensPlan, 0);

    const result = inspect(tasks);

    expect(result.criticalPath.byCount).toEqual({ tasks: size - doneCount, taskIds: chain });
    expect(result.criticalPath.byTokens).toEqual({ tokens: remainingTokens, taskIds: chain });
    expect(result.remainingTokens).toBe(remainingTokens);
    expect(result.ready).toBe(1);
  });
});
