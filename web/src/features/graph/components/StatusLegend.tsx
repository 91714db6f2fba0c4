import { knownStatuses, statusColor, statusLabel } from '../../../ui/status';
import './StatusLegend.css';

/** What the colours, sizes and rings of the graph mean. */
export const StatusLegend = ({ taskCount, edgeCount }: { taskCount: number; edgeCount: number }) => (
  <div className="graph-legend" role="note" aria-label="Legend">
    <ul>
      {knownStatuses.map((status) => (
        <li key={status}>
          <span className="legend-dot" style={{ background: statusColor(status) }} aria-hidden="true" />
          {statusLabel(status)}
        </li>
      ))}
    </ul>
    <span className="legend-note">
      size = business value · ring = tokens used / planned (red: over plan) · arrow = dependency → dependent
    </span>
    <span className="legend-note legend-count">
      {taskCount} tasks · {edgeCount} dependencies
    </span>
  </div>
);
