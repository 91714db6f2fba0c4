import { describe, expect, it } from 'vitest';
import { formatTickLine } from './tick-line';

describe('formatTickLine', () => {
  it('shows budget, work, blocked and critical path on one line', () => {
    expect(
      formatTickLine({
        tenantId: 'demo',
        budgetLeftMicroUsd: 9_987_500,
        ready: 2,
        running: 3,
        done: 4,
        total: 14,
        blockedByFailure: 1,
        waitingForBudget: 2,
        criticalPathTasks: 5,
        criticalPathKiloTokens: 56.25,
        progress: 0.354,
        dispatched: 2,
      }),
    ).toBe(
      '[tick] demo | budget left 9.9875 USD | done 4/14 | ready 2 | running 3 | dispatched 2 | ' +
        'blocked 1 (+2 waiting for budget) | critical path 5 tasks / 56.3k tokens | progress 35%',
    );
  });
});
