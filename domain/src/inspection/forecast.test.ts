import { describe, expect, it } from 'vitest';
import { forecast } from './forecast';
import type { InspectedTask } from './inspection.types';

/** 1,000 micro-USD per 1k tokens: a task planned at N thousand tokens costs N × 1,000 micro-USD. */
const microUsdPer1kTokens = 1_000;

const task = (
  id: string,
  status: InspectedTask['status'],
  dependsOn: readonly string[],
  businessValue: number,
  tokensPlan: number,
): InspectedTask => ({ id, status, dependsOn, businessValue, purposeRelevance: 1, tokensPlan });

// Admission order: a (rank 9/1,000), b (5/2,000), running (1/50,000), c (1/3,000, waits for running).
// The walk skips `running` (already reserved): a 1,000 → b 3,000 → c 6,000 cumulative.
// `stranded` waits for a failed task: it is in costToFinish but never reached by the walk.
// costToFinish = a 1,000 + b 2,000 + c 3,000 + stranded 4,000 = 10,000 (running, queued, failed, done excluded).
const tasks = [
  task('finished', 'done', [], 1, 8),
  task('running', 'doing', [], 1, 50),
  task('waiting', 'queued', [], 1, 60),
  task('a', 'todo', [], 9, 1),
  task('b', 'waiting_budget', [], 5, 2),
  task('c', 'todo', ['running'], 1, 3),
  task('broken', 'failed', [], 1, 100),
  task('stranded', 'blocked', ['broken'], 1, 4),
];

describe('forecast', () => {
  it('names the first task whose cumulative cost passes what may be spent', () => {
    // Spendable 10,000 − 5,000 = 5,000: a and b fit (3,000), c brings it to 6,000.
    expect(forecast({ tasks, leftMicroUsd: 10_000, minimumLeftMicroUsd: 5_000, microUsdPer1kTokens })).toEqual({
      costToFinishMicroUsd: 10_000,
      firstUnaffordableTaskId: 'c',
    });
  });

  it('returns null when everything reachable fits, exactly at the limit included', () => {
    expect(forecast({ tasks, leftMicroUsd: 10_000, minimumLeftMicroUsd: 4_000, microUsdPer1kTokens })).toEqual({
      costToFinishMicroUsd: 10_000,
      firstUnaffordableTaskId: null,
    });
  });

  it('names the first task when the budget is already under its floor', () => {
    const result = forecast({ tasks, leftMicroUsd: 1_000, minimumLeftMicroUsd: 2_000, microUsdPer1kTokens });
    expect(result.firstUnaffordableTaskId).toBe('a');
  });

  it('costs nothing when there is nothing left to pay for', () => {
    expect(
      forecast({ tasks: tasks.slice(0, 3), leftMicroUsd: 0, minimumLeftMicroUsd: 0, microUsdPer1kTokens }),
    ).toEqual({ costToFinishMicroUsd: 0, firstUnaffordableTaskId: null });
  });
});
