import { formatNumber, formatTokens } from '../../../ui/format';
import { StatusBadge } from '../../../ui/StatusBadge';
import type { LiveTask } from '../../live/live-state';
import { type BacklogView, type SortKey, scoreOf } from '../hooks/useBacklogRows';
import './BacklogTable.css';
import './data-table.css';

const columns: readonly { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'description', label: 'Task' },
  { key: 'status', label: 'Status' },
  { key: 'owner', label: 'Role' },
  { key: 'businessValue', label: 'Value', numeric: true },
  { key: 'purposeRelevance', label: 'Relevance', numeric: true },
  { key: 'score', label: 'Value × relevance', numeric: true },
  { key: 'tokens', label: 'Tokens used / plan', numeric: true },
];

/** Rows shown at once; the filters narrow the rest down. */
export const rowLimit = 200;

export interface BacklogTableProps {
  readonly rows: readonly LiveTask[];
  readonly view: BacklogView;
  readonly onSort: (key: SortKey) => void;
}

export const BacklogTable = ({ rows, view, onSort }: BacklogTableProps) => (
  <div className="table-scroll">
    <table className="data-table" data-testid="backlog-table">
      <thead>
        <tr>
          {columns.map(({ key, label, numeric }) => {
            const active = view.sort === key;
            return (
              <th
                key={key}
                scope="col"
                className={numeric ? 'num' : undefined}
                aria-sort={active ? (view.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" className="sort-button" onClick={() => onSort(key)}>
                  {label}
                  <span aria-hidden="true" className="sort-arrow">
                    {active ? (view.direction === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, rowLimit).map((task) => (
          <tr key={task.id} data-testid={`backlog-row-${task.id}`}>
            <td className="task-cell">
              <span className="task-description">{task.description}</span>
              <code className="task-id">{task.id}</code>
              {task.statusReason ? <span className="task-reason">{task.statusReason}</span> : null}
            </td>
            <td>
              <StatusBadge status={task.status} />
            </td>
            <td>{task.owner ?? '—'}</td>
            <td className="num">{formatNumber(task.businessValue)}</td>
            <td className="num">{formatNumber(task.purposeRelevance)}</td>
            <td className="num">{formatNumber(scoreOf(task))}</td>
            <td className="num">
              {formatTokens(task.tokensActual)} / {formatTokens(task.tokensPlan)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
