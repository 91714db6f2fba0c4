import { describe, expect, it } from 'vitest';
import { admissionOrder, admissionRank, rankForAdmission } from './admission';
import type { InspectedTask } from './inspection.types';
import { syntheticDag } from './synthetic-dag';

/** 1,000 micro-USD per 1k tokens: a task planned at N thousand tokens costs N × 1,000 micro-USD. */
const price = 1_000;

const task = (
  id: string,
  status: InspectedTask['status'],
  dependsOn: readonly string[] = [],
  fields: Partial<Pick<InspectedTask, 'businessValue' | 'tokensPlan' | 'purposeRelevance'>> = {},
): InspectedTask => ({ id, status, dependsOn, businessValue: 1, purposeRelevance: 1, tokensPlan: 1, ...fields });

const ids = (tasks: readonly InspectedTask[]): string[] => tasks.map((t) => t.id);

describe('admissionRank', () => {
  it('divides value × relevance by the planned cost', () => {
    // 6 × 0.5 / (2k tokens × 1,000 µUSD per 1k = 2,000 µUSD)
    expect(
      admissionRank(task('a', 'todo', [], { businessValue: 6, purposeRelevance: 0.5, tokensPlan: 2 }), price),
    ).toBe(3 / 2_000);
  });

  it('ranks a free task as if it cost 1 micro-USD', () => {
    expect(
      admissionRank(task('a', 'todo', [], { businessValue: 4, purposeRelevance: 0.5, tokensPlan: 0 }), price),
    ).toBe(2);
  });

  it('uses the rounded-up cost, as billing does', () => {
    // 0.0001k tokens = 0.1 tokens → 0.1 µUSD, rounded up to 1.
    expect(admissionRank(task('a', 'todo', [], { businessValue: 5, tokensPlan: 0.0001 }), price)).toBe(5);
  });
});

describe('rankForAdmission', () => {
  it('sorts by rank, highest first, and breaks ties by id', () => {
    const tasks = [
      task('cheap', 'todo', [], { businessValue: 2, tokensPlan: 1 }), // 0.002
      task('z-tie', 'todo', [], { businessValue: 4, tokensPlan: 2 }), // 0.002
      task('best', 'todo', [], { businessValue: 9, tokensPlan: 1 }), // 0.009
      task('a-tie', 'todo', [], { businessValue: 1, tokensPlan: 0.5 }), // 0.002
      task('worst', 'todo', [], { businessValue: 1, purposeRelevance: 0.1, tokensPlan: 1 }), // 0.0001
    ];
    expect(ids(rankForAdmission(tasks, price))).toEqual(['best', 'a-tie', 'cheap', 'z-tie', 'worst']);
    expect(ids(rankForAdmission([...tasks].reverse(), price))).toEqual(['best', 'a-tie', 'cheap', 'z-tie', 'worst']);
  });
});

describe('admissionOrder', () => {
  it('takes the best available task at each step and never runs ahead of a dependency', () => {
    // Ranks (value ÷ 1,000 µUSD): low .001, high .009, mid .005, afterDone .002.
    // Available at first: low, mid, afterDone (its dependency is done) → mid, afterDone, low; then high, freed by low.
    const tasks = [
      task('low', 'todo', [], { businessValue: 1 }),
      task('high', 'todo', ['low'], { businessValue: 9 }),
      task('mid', 'todo', [], { businessValue: 5 }),
      task('finished', 'done', [], { businessValue: 9 }),
      task('afterDone', 'todo', ['finished'], { businessValue: 2 }),
    ];
    expect(ids(admissionOrder(tasks, price))).toEqual(['mid', 'afterDone', 'low', 'high']);
  });

  it('leaves out failed tasks and everything behind them, but keeps running ones', () => {
    const tasks = [
      task('broken', 'failed', [], { businessValue: 9 }),
      task('behind', 'blocked', ['broken'], { businessValue: 9 }),
      task('further', 'todo', ['behind', 'running'], { businessValue: 9 }),
      task('running', 'doing', [], { businessValue: 1 }),
      task('next', 'todo', ['running'], { businessValue: 2 }),
    ];
    expect(ids(admissionOrder(tasks, price))).toEqual(['running', 'next']);
  });

  it('leaves out tasks on a cycle instead of hanging', () => {
    const tasks = [task('a', 'todo', ['b']), task('b', 'todo', ['a']), task('c', 'todo', ['ghost'])];
    expect(ids(admissionOrder(tasks, price))).toEqual(['c']);
  });

  it('follows the only possible order through a 100,000-task chain', () => {
    const size = 100_000;
    const tasks = syntheticDag({ size, extraEdgesPerTask: 2, doneCount: 0, seed: 7 });
    expect(ids(admissionOrder(tasks, price))).toEqual(Array.from({ length: size }, (_, i) => `t${i}`));
  });
});
