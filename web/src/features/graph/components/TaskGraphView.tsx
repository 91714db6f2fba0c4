import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type NodeChange,
  type NodeTypes,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import './TaskGraphView.css';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { statusColor } from '../../../ui/status';
import type { GraphStructure, LiveTask } from '../../live/live-state';
import { layoutStructure, nodeHeight, nodeWidth } from '../graph-layout';
import { type TaskFlowNode, TaskNode } from './TaskNode';

const nodeTypes: NodeTypes = { task: TaskNode };
// A small graph is not blown up past a readable size.
const fitOptions = { padding: 0.12, maxZoom: 1.2 } as const;

export interface TaskGraphViewProps {
  readonly structure: GraphStructure;
  readonly tasks: ReadonlyMap<string, LiveTask>;
  readonly selectedId: string | null;
  readonly onSelect: (id: string | null) => void;
}

/** Fits the view again whenever the layout changes (a plan added tasks), not on status changes. */
const FitOnLayout = ({ layoutKey }: { layoutKey: unknown }) => {
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (!layoutKey) return;
    const timer = setTimeout(() => void fitView({ ...fitOptions, duration: 250 }), 60);
    return () => clearTimeout(timer);
  }, [layoutKey, fitView]);
  return null;
};

const Graph = ({ structure, tasks, selectedId, onSelect }: TaskGraphViewProps) => {
  // The expensive part, only when nodes, edges or sizes change.
  const placements = useMemo(() => layoutStructure(structure), [structure]);
  // Node objects are kept while their task, place and selection are unchanged, so selecting one node
  // (or a status change) re-renders that node, not all of them.
  const nodeCache = useRef(new Map<string, TaskFlowNode>());
  const nodes = useMemo<TaskFlowNode[]>(() => {
    const cache = nodeCache.current;
    const next = new Map<string, TaskFlowNode>();
    const list = structure.nodes.flatMap(({ id }) => {
      const task = tasks.get(id);
      const place = placements.get(id);
      if (!task || !place) return [];
      const selected = id === selectedId;
      const previous = cache.get(id);
      const node: TaskFlowNode =
        previous &&
        previous.data.task === task &&
        previous.selected === selected &&
        previous.position.x === place.x &&
        previous.position.y === place.y
          ? previous
          : {
              id,
              type: 'task',
              position: { x: place.x, y: place.y },
              // Known sizes: the minimap and fitView need no measuring pass.
              width: nodeWidth,
              height: nodeHeight(place.diameter),
              data: { task, diameter: place.diameter },
              selected,
              ariaLabel: `${task.description}, ${task.status}`,
            };
      next.set(id, node);
      return [node];
    });
    nodeCache.current = next;
    return list;
  }, [structure, placements, tasks, selectedId]);
  const edges = useMemo<Edge[]>(
    () =>
      structure.edges.map(({ from, to }) => ({
        id: `${to}->${from}`,
        source: to,
        target: from,
        animated: tasks.get(from)?.status === 'doing',
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        className: tasks.get(to)?.status === 'done' ? 'edge-satisfied' : 'edge-pending',
      })),
    [structure, tasks],
  );
  // Selection comes from clicks and from the keyboard (Enter on a focused node) alike.
  const onNodesChange = useCallback(
    (changes: NodeChange<TaskFlowNode>[]) => {
      const picked = changes.filter((change) => change.type === 'select' && change.selected).at(-1);
      if (picked && 'id' in picked) onSelect(picked.id);
      else if (changes.some((change) => change.type === 'select' && change.id === selectedId)) onSelect(null);
    },
    [onSelect, selectedId],
  );
  return (
    <ReactFlow<TaskFlowNode>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onNodeClick={(_, node) => onSelect(node.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      fitView
      fitViewOptions={fitOptions}
      onlyRenderVisibleElements
      minZoom={0.1}
      maxZoom={2.5}
    >
      <FitOnLayout layoutKey={placements} />
      <Background gap={24} />
      <Controls showInteractive={false} />
      <MiniMap<TaskFlowNode> pannable zoomable nodeColor={(node) => statusColor(node.data.task.status)} />
    </ReactFlow>
  );
};

export const TaskGraphView = (props: TaskGraphViewProps) => (
  <div className="task-graph" data-testid="task-graph">
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  </div>
);
