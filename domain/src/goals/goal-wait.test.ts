import { describe, expect, it } from 'vitest';
import { describeBacklogWait, isPerson } from './goal-wait';

describe('describeBacklogWait', () => {
  it('says nothing when no task is open', () => {
    expect(describeBacklogWait({ byStatus: { todo: 0 }, people: {} })).toBeNull();
  });

  it('counts the open tasks by status, in the order they move', () => {
    expect(describeBacklogWait({ byStatus: { blocked: 1, todo: 2, doing: 1 }, people: {} })).toBe(
      'Waits for the backlog to empty: 4 open tasks (2 to do, 1 running, 1 blocked by a failed task).' +
        ' Blocked tasks run again once the task they wait for is dispatched again and done.',
    );
  });

  it('names the people who own open tasks, most first, and how the goal gets unstuck', () => {
    const reason = describeBacklogWait({
      byStatus: { todo: 6 },
      people: { alice: 1, bob: 3, carol: 1, dave: 1 },
    });
    expect(reason).toContain('6 open tasks (6 to do)');
    expect(reason).toContain('6 of them are owned by people (bob, alice, carol and 1 more), not agents');
  });

  it('points at a top-up when tasks wait for budget', () => {
    expect(describeBacklogWait({ byStatus: { waiting_budget: 1 }, people: {} })).toContain('start after a top-up');
  });
});

describe('isPerson', () => {
  it('tells people from agent roles and from no owner', () => {
    expect(isPerson('alice')).toBe(true);
    expect(isPerson('ux_ui')).toBe(false);
    expect(isPerson(null)).toBe(false);
  });
});
