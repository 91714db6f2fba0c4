import { useId } from 'react';
import { knownStatuses, statusLabel } from '../../../ui/status';
import type { BacklogView } from '../hooks/useBacklogRows';

export interface BacklogFiltersProps {
  readonly view: BacklogView;
  readonly roles: readonly string[];
  readonly onChange: (view: BacklogView) => void;
}

export const BacklogFilters = ({ view, roles, onChange }: BacklogFiltersProps) => {
  const statusId = useId();
  const roleId = useId();
  return (
    <div className="inline-form filters">
      <label htmlFor={statusId}>Status</label>
      <select id={statusId} value={view.status} onChange={(event) => onChange({ ...view, status: event.target.value })}>
        <option value="all">all</option>
        {knownStatuses.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
      <label htmlFor={roleId}>Role</label>
      <select id={roleId} value={view.role} onChange={(event) => onChange({ ...view, role: event.target.value })}>
        <option value="all">all</option>
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </div>
  );
};
