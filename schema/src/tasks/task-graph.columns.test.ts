import { describe, expect, it } from 'vitest';
import { graphOfRows, type TaskGraphRow, taskGraphColumns } from './task-graph.columns';

describe('graphOfRows', () => {
  it("keeps only dependencies on the tenant's own tasks, sorted, and makes an edge of each", () => {
    const rows: TaskGraphRow[] = [
      { id: 'aaaaaaa1', dependsOn: [] },
      { id: 'aaaaaaa2', dependsOn: ['aaaaaaa3', 'otherten', 'aaaaaaa1'] },
      { id: 'aaaaaaa3', dependsOn: ['aaaaaaa1'] },
    ];
    const graph = graphOfRows(rows);
    expect(graph.nodes.map((node) => node.dependsOn)).toEqual([[], ['aaaaaaa1', 'aaaaaaa3'], ['aaaaaaa1']]);
    expect(graph.edges).toEqual([
      { from: 'aaaaaaa2', to: 'aaaaaaa1' },
      { from: 'aaaaaaa2', to: 'aaaaaaa3' },
      { from: 'aaaaaaa3', to: 'aaaaaaa1' },
    ]);
  });

  it('has no edges when the dependencies were not read', () => {
    expect(graphOfRows([{ id: 'aaaaaaa1', status: 'todo' }])).toEqual({
      nodes: [{ id: 'aaaaaaa1', status: 'todo' }],
      edges: [],
    });
  });
});

describe('taskGraphColumns', () => {
  it('always reads the id, once', () => {
    expect(taskGraphColumns(['status'])).toBe('t.id AS id, t.status AS status');
    expect(taskGraphColumns(['id', 'createdAt'])).toBe('t.id AS id, toString(t.createdAt) AS createdAt');
  });
});
