import { statusColor, statusLabel } from './status';
import './StatusBadge.css';

export const StatusBadge = ({ status }: { status: string }) => (
  <span className="status-badge" data-status={status}>
    <span className="status-dot" style={{ background: statusColor(status) }} aria-hidden="true" />
    {statusLabel(status)}
  </span>
);
