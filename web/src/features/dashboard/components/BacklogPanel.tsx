import { useState } from 'react';
import { Panel } from '../../../ui/Panel';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { DispatchReadyButton } from '../../dispatch/components/DispatchReadyButton';
import { useLive, useLiveSync } from '../../live/components/LiveProvider';
import { type BacklogView, defaultView, type SortKey, useBacklogRows } from '../hooks/useBacklogRows';
import { BacklogFilters } from './BacklogFilters';
import { BacklogTable, rowLimit } from './BacklogTable';
import '../../../ui/layout.css';

const numericFirstDesc: ReadonlySet<SortKey> = new Set(['businessValue', 'purposeRelevance', 'score', 'tokens']);

/** Every task of the tenant, live, filterable by status and role, sortable by any column. */
export const BacklogPanel = () => {
  const tasks = useLive((state) => state.tasks);
  const loaded = useLive((state) => state.loaded);
  const { error } = useLiveSync();
  const [view, setView] = useState<BacklogView>(defaultView);
  const { rows, roles, total } = useBacklogRows(tasks, view);
  const sortBy = (key: SortKey) =>
    setView((current) =>
      current.sort === key
        ? { ...current, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { ...current, sort: key, direction: numericFirstDesc.has(key) ? 'desc' : 'asc' },
    );
  const body = () => {
    if (!loaded)
      return error ? <ErrorMessage title="Could not load the tasks" error={error} /> : <Loading what="tasks" />;
    if (total === 0) return <Empty>No tasks yet. Set a goal on the Goal page and the planner will add them.</Empty>;
    if (rows.length === 0) return <Empty>No task matches these filters.</Empty>;
    return <BacklogTable rows={rows} view={view} onSort={sortBy} />;
  };
  return (
    <Panel
      title="Backlog"
      className="span-4"
      actions={
        <div className="panel-actions">
          <span className="panel-note">
            {rows.length > rowLimit ? `first ${rowLimit} of ${rows.length}` : `${rows.length} of ${total}`} tasks
          </span>
          <BacklogFilters view={view} roles={roles} onChange={setView} />
          <DispatchReadyButton />
        </div>
      }
    >
      {body()}
    </Panel>
  );
};
