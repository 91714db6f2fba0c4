import type { TaskRecord } from '@ai-org/schema';
import { describe, expect, it } from 'vitest';
import { notificationEvents } from './notification-events';

const balance = { left: 0, reserved: 0, spent: 10_000, funded: 10_000 };
const task = (id: string, statusReason: string): TaskRecord => ({
  id,
  tenantId: 't',
  description: `Task ${id}`,
  status: 'failed',
  owner: 'dev',
  businessValue: 1,
  tokensPlan: 1,
  tokensActual: 0,
  purposeRelevance: 0.5,
  createdAt: '2025-01-01T00:00:00Z',
  statusReason,
  dispatchCount: 1,
  routedBy: null,
  version: 3,
  dependsOn: [],
});

describe('notificationEvents', () => {
  it('collapses thresholds crossed in one tick into one message naming the highest', () => {
    const events = notificationEvents({
      fired: [
        { kind: 'budget_50', threshold: 0.5 },
        { kind: 'budget_80', threshold: 0.8 },
        { kind: 'budget_95', threshold: 0.95 },
        { kind: 'budget_100', threshold: 1 },
      ],
      balance,
      planFinished: null,
    });
    expect(events).toEqual([
      {
        kind: 'budget_threshold',
        thresholdPercent: 100,
        spentMicroUsd: 10_000,
        leftMicroUsd: 0,
        fundedMicroUsd: 10_000,
      },
    ]);
  });

  it('gives each failed task and a finished plan a message of its own', () => {
    const events = notificationEvents({
      fired: [
        { kind: 'task_failed', task: task('aaaaaaaa', 'LLM refused: 400') },
        { kind: 'expensive_failure', task: task('bbbbbbbb', 'expensive failure: 3x the plan') },
      ],
      balance,
      planFinished: { taskCount: 2, done: 0, failed: 2, blocked: 0 },
    });
    expect(events.map((event) => event.kind)).toEqual(['task_failed', 'expensive_failure', 'plan_finished']);
    expect(events[0]).toMatchObject({ taskId: 'aaaaaaaa', description: 'Task aaaaaaaa', reason: 'LLM refused: 400' });
  });

  it('names the failed run, so a re-run that fails again is a message of its own', () => {
    const [first] = notificationEvents({
      fired: [{ kind: 'task_failed', task: task('aaaaaaaa', 'LLM refused: 400') }],
      balance,
      planFinished: null,
    });
    const [again] = notificationEvents({
      fired: [{ kind: 'task_failed', task: { ...task('aaaaaaaa', 'LLM refused: 400'), dispatchCount: 2 } }],
      balance,
      planFinished: null,
    });
    expect([first, again]).toMatchObject([{ dispatchCount: 1 }, { dispatchCount: 2 }]);
  });

  it('says nothing when nothing happened', () => {
    expect(notificationEvents({ fired: [], balance, planFinished: null })).toEqual([]);
  });
});
