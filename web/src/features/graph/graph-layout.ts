import { Graph, type GraphLabel, layout, type NodeLabel } from '@dagrejs/dagre';
import type { GraphStructure } from '../live/live-state';

/** Node geometry: a circle whose area grows with business value, a ring around it, a label below. */
export const nodeWidth = 150;
export const ringPad = 7;
export const labelHeight = 38;

export const nodeDiameter = (businessValue: number): number =>
  Math.round(Math.min(88, 26 + 14 * Math.sqrt(Math.max(0, businessValue))));

export const nodeHeight = (diameter: number): number => diameter + 2 * ringPad + labelHeight;

export interface NodePlacement {
  /** Top-left corner, as React Flow positions nodes. */
  readonly x: number;
  readonly y: number;
  readonly diameter: number;
}

/**
 * Left-to-right layered layout (dagre): a task sits to the right of every task it depends on.
 * Pure and deterministic for a given structure, so it is recomputed only when the structure changes.
 */
export const layoutStructure = (structure: GraphStructure): ReadonlyMap<string, NodePlacement> => {
  const graph = new Graph<GraphLabel, NodeLabel, object>();
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const diameters = new Map<string, number>();
  for (const node of structure.nodes) {
    const diameter = nodeDiameter(node.businessValue);
    diameters.set(node.id, diameter);
    graph.setNode(node.id, { width: nodeWidth, height: nodeHeight(diameter) });
  }
  // Dependency first: the edge runs from the task waited for to the task that waits.
  for (const edge of structure.edges) graph.setEdge(edge.to, edge.from);
  layout(graph);
  const placements = new Map<string, NodePlacement>();
  for (const node of structure.nodes) {
    const label = graph.node(node.id);
    const diameter = diameters.get(node.id) ?? nodeDiameter(0);
    placements.set(node.id, {
      x: (label.x ?? 0) - nodeWidth / 2,
      y: (label.y ?? 0) - nodeHeight(diameter) / 2,
      diameter,
    });
  }
  return placements;
};
