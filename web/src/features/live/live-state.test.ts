import { describe, expect, it } from 'vitest';
import { applyEvent, applySnapshot, emptyLiveState, type LiveEvent, type LiveSnapshot } from './live-state';

const node = (id: string, dependsOnIds: string[] = [], status = 'todo', version = 1) => ({
  id,
  description: `task ${id}`,
  status: status as 'todo',
  statusReason: null,
  owner: 'dev',
  businessValue: 1,
  purposeRelevance: 0.5,
  tokensPlan: 2,
  tokensActual: 0,
  dependsOnIds,
  version,
});

const snapshot = (seq: number, nodes: ReturnType<typeof node>[]): LiveSnapshot => ({
  seq,
  taskGraph: { nodes },
  budget: { leftUsd: 5, reservedUsd: 1, spentUsd: 4, fundedUsd: 10, pricePer1kTokensUsd: 0.0005, minimumLeftUsd: 1 },
});

const taskEvent = (seq: number, task: ReturnType<typeof node>): LiveEvent => ({
  seq,
  kind: 'task',
  at: '2026-01-01T00:00:00Z',
  task: { ...task, routedBy: 'keywords', artifact: null },
  budget: null,
  metrics: null,
  plan: null,
});

describe('the live state', () => {
  it('builds the graph structure from the snapshot: an edge from each task to what it waits for', () => {
    const state = applySnapshot(emptyLiveState, snapshot(1, [node('a'), node('b', ['a'])]));
    expect(state.loaded).toBe(true);
    expect(state.structure.edges).toEqual([{ from: 'b', to: 'a' }]);
    expect(state.budget?.leftUsd).toBe(5);
  });

  it('keeps the structure (no re-layout) when only a status changes', () => {
    const before = applySnapshot(emptyLiveState, snapshot(1, [node('a'), node('b', ['a'])]));
    const after = applyEvent(before, taskEvent(2, node('a', [], 'done', 2)));
    expect(after.tasks.get('a')?.status).toBe('done');
    expect(after.structure).toBe(before.structure);
  });

  it("ignores a task's snapshot older than the one it holds, whatever its sequence number", async () => {
    // A task created `todo` (version 1) whose creation event is published after its `done` (version 4).
    const before = applySnapshot(emptyLiveState, snapshot(1, []));
    const done = applyEvent(before, taskEvent(2, node('a', [], 'done', 4)));
    const late = applyEvent(done, taskEvent(3, node('a', [], 'todo', 1)));
    expect(late.tasks.get('a')).toMatchObject({ status: 'done', version: 4 });
    expect(applyEvent(late, taskEvent(4, node('a', [], 'todo', 5))).tasks.get('a')?.status).toBe('todo');
  });

  it('changes the structure when a task or a dependency appears', () => {
    const before = applySnapshot(emptyLiveState, snapshot(1, [node('a')]));
    const added = applyEvent(before, taskEvent(2, node('c', ['a'])));
    expect(added.structure).not.toBe(before.structure);
    expect(added.structure.edges).toEqual([{ from: 'c', to: 'a' }]);
  });

  it('keeps the price from the snapshot when a budget event arrives, and records crossed thresholds', () => {
    const before = applySnapshot(emptyLiveState, snapshot(1, []));
    const after = applyEvent(before, {
      seq: 2,
      kind: 'budget',
      at: '2026-01-01T00:00:01Z',
      task: null,
      budget: { leftUsd: 1, reservedUsd: 0, spentUsd: 9, fundedUsd: 10, thresholdsCrossed: [0.8] },
      metrics: null,
      plan: null,
    });
    expect(after.budget).toMatchObject({ leftUsd: 1, spentUsd: 9, pricePer1kTokensUsd: 0.0005 });
    expect(after.crossings.map((c) => c.threshold)).toEqual([0.8]);
  });
});
