import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { formatNumber, formatTokens } from '../../../ui/format';
import { statusColor, statusLabel } from '../../../ui/status';
import type { LiveTask } from '../../live/live-state';
import { nodeWidth, ringPad } from '../graph-layout';
import { TokenRing } from './TokenRing';
import './TaskNode.css';

export type TaskNodeData = { task: LiveTask; diameter: number };
export type TaskFlowNode = Node<TaskNodeData, 'task'>;

/** A task: circle sized by business value, coloured by status, ringed by tokens used / planned. */
export const TaskNode = memo(({ data, selected }: NodeProps<TaskFlowNode>) => {
  const { task, diameter } = data;
  const size = diameter + 2 * ringPad;
  const centre = size / 2;
  return (
    <div
      className={selected ? 'task-node task-node-selected' : 'task-node'}
      data-testid={`graph-node-${task.id}`}
      data-status={task.status}
      style={{ width: nodeWidth }}
      title={`${task.description}\n${statusLabel(task.status)} · value ${formatNumber(task.businessValue)} · ${formatTokens(task.tokensActual)} / ${formatTokens(task.tokensPlan)} tokens`}
    >
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={false}
        style={{ top: centre, left: (nodeWidth - size) / 2 }}
      />
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
        <TokenRing size={size} stroke={5} used={task.tokensActual} planned={task.tokensPlan} />
        <circle
          cx={centre}
          cy={centre}
          r={diameter / 2 - 1}
          fill={statusColor(task.status)}
          className="task-node-circle"
        />
        {diameter >= 34 ? (
          <text x={centre} y={centre} dy="0.35em" textAnchor="middle" className="task-node-value">
            {formatNumber(task.businessValue)}
          </text>
        ) : null}
      </svg>
      <div className="task-node-label">{task.description}</div>
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        style={{ top: centre, right: (nodeWidth - size) / 2 }}
      />
    </div>
  );
});
TaskNode.displayName = 'TaskNode';
