import { describe, expect, it } from 'vitest';
import { type TaskStatus, taskStatuses } from './task.types';
import {
  allowedByHand,
  creatableStatuses,
  handRefusal,
  handTransitions,
  isCreatableStatus,
  runTransitions,
} from './task-transitions';

const rules = Object.entries(runTransitions);

describe('the task state machine', () => {
  it('names only known statuses', () => {
    for (const [, rule] of rules) {
      for (const status of [...rule.from, ...rule.to]) expect(taskStatuses).toContain(status);
    }
    for (const [to, from] of Object.entries(handTransitions)) {
      expect(taskStatuses).toContain(to);
      for (const status of from) expect(taskStatuses).toContain(status);
    }
    expect(Object.keys(handTransitions).sort()).toEqual([...taskStatuses].sort());
  });

  it('lets no automatic write start from a done task', () => {
    for (const [name, rule] of rules) expect(rule.from, name).not.toContain('done');
  });

  it.each(['queued', 'doing', 'waiting_budget', 'failed'] as const)('never sets a done task %s by hand', (to) => {
    expect(allowedByHand('done', to, true)).toBe(false);
    expect(allowedByHand('done', to, false)).toBe(false);
  });

  it('reopens a done task by hand only to todo or blocked', () => {
    expect(taskStatuses.filter((to) => allowedByHand('done', to, true))).toEqual(['todo', 'blocked']);
  });

  it.each(['queued', 'waiting_budget'] as const)('leaves %s to dispatch: never set by hand', (to) => {
    for (const from of taskStatuses) {
      expect(allowedByHand(from, to, true)).toBe(false);
      expect(allowedByHand(from, to, false)).toBe(false);
    }
  });

  it("sets a person's task doing by hand, never an agent's", () => {
    expect(allowedByHand('todo', 'doing', false)).toBe(true);
    expect(allowedByHand('todo', 'doing', true)).toBe(false);
  });

  it('treats the same status as no transition', () => {
    for (const status of taskStatuses) expect(allowedByHand(status, status, false)).toBe(false);
  });

  it('fails a task only while it runs, and finishes it only while doing', () => {
    expect(runTransitions.failRun.from).toEqual(['queued', 'doing']);
    expect(runTransitions.completeRun.from).toEqual(['doing']);
    expect(runTransitions.startRun.from).toEqual(['queued', 'doing']);
  });

  it('undoes a claim only from queued, back to a status a claim starts from', () => {
    expect(runTransitions.undoClaim.from).toEqual(['queued']);
    for (const to of runTransitions.undoClaim.to) expect(runTransitions.claimForDispatch.from).toContain(to);
  });

  it('recovers a lost run only from doing, back to todo (a status a claim starts from)', () => {
    expect(runTransitions.recoverLostRun.from).toEqual(['doing']);
    expect(runTransitions.recoverLostRun.to).toEqual(['todo']);
    for (const to of runTransitions.recoverLostRun.to) expect(runTransitions.claimForDispatch.from).toContain(to);
  });

  it('creates tasks only in statuses that need no claim, reservation or job', () => {
    expect([...creatableStatuses].sort()).toEqual(['blocked', 'done', 'failed', 'todo']);
    for (const status of ['queued', 'doing', 'waiting_budget'] as TaskStatus[])
      expect(isCreatableStatus(status)).toBe(false);
  });

  it('reaches every status a task cannot be created in through an automatic write', () => {
    const reached = new Set(rules.flatMap(([, rule]) => rule.to));
    for (const status of taskStatuses.filter((s) => !isCreatableStatus(s))) expect(reached).toContain(status);
  });

  it('names both statuses when it refuses a change by hand', () => {
    expect(handRefusal('abcd1234', 'done', 'failed', true)).toMatch(/abcd1234 is done; it cannot be set to failed/);
    expect(handRefusal('abcd1234', 'todo', 'doing', true)).toMatch(/is todo; it cannot be set to doing.*worker/);
    expect(handRefusal('abcd1234', 'todo', 'queued', false)).toMatch(/is todo; it cannot be set to queued.*dispatch/);
  });
});
