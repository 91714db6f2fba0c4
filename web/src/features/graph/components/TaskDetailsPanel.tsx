import { useCallback } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { getFragmentData, graphql } from '../../../gql';
import { formatDateTime, formatNumber, formatTokens } from '../../../ui/format';
import { ErrorMessage, Loading } from '../../../ui/StateMessage';
import { StatusBadge } from '../../../ui/StatusBadge';
import { DispatchTaskButton } from '../../dispatch/components/DispatchTaskButton';
import { useLive } from '../../live/components/LiveProvider';
import { taskDetailsQuery } from '../graphql/task-details.documents';
import { ArtifactList } from './ArtifactList';
import { TaskLinks } from './TaskLinks';
import '../../../ui/notice.css';
import './TaskDetailsPanel.css';

export const TaskDetailsFields = graphql(`
  fragment TaskDetailsFields on Task {
    id
    routedBy
    createdAt
    startedAt
    finishedAt
    dispatchCount
    dependsOn {
      id
      description
      status
    }
    dependents {
      id
      description
      status
    }
    artifacts(sort: [{ createdAt: DESC }]) {
      ...ArtifactFields
    }
  }
`);

export interface TaskDetailsPanelProps {
  readonly taskId: string;
  readonly onSelect: (id: string) => void;
  readonly onClose: () => void;
}

/** The selected task: live fields from the store, the rest from the generated `tasks` query. */
export const TaskDetailsPanel = ({ taskId, onSelect, onClose }: TaskDetailsPanelProps) => {
  const task = useLive((state) => state.tasks.get(taskId));
  const [result, reexecute] = useQuery({ query: taskDetailsQuery, variables: { id: taskId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefreshOn(task, refresh, 1000);
  const found = result.data?.tasks[0];
  const details = found ? getFragmentData(TaskDetailsFields, found) : null;
  return (
    <aside className="task-details" data-testid="task-details" aria-label="Task details">
      <header className="task-details-header">
        <h2>{task?.description ?? taskId}</h2>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Close task details">
          ✕
        </button>
      </header>
      {task ? (
        <>
          <p className="task-details-status">
            <StatusBadge status={task.status} /> <code>{task.id}</code>
          </p>
          {task.statusReason ? <p className="notice notice-warning">{task.statusReason}</p> : null}
          {task.status === 'todo' ? <DispatchTaskButton taskId={task.id} /> : null}
          <dl className="details-list">
            <dt>Owner</dt>
            <dd>{task.owner ?? '—'}</dd>
            <dt>Routed by</dt>
            <dd>{task.routedBy ?? details?.routedBy ?? '—'}</dd>
            <dt>Tokens used / plan</dt>
            <dd>
              {formatTokens(task.tokensActual)} / {formatTokens(task.tokensPlan)}
            </dd>
            <dt>Value · relevance</dt>
            <dd>
              {formatNumber(task.businessValue)} · {formatNumber(task.purposeRelevance)}
            </dd>
            {details ? (
              <>
                <dt>Dispatched</dt>
                <dd>{details.dispatchCount === 1 ? 'once' : `${details.dispatchCount ?? 0} times`}</dd>
                <dt>Created</dt>
                <dd>{formatDateTime(details.createdAt)}</dd>
                {details.finishedAt ? (
                  <>
                    <dt>Finished</dt>
                    <dd>{formatDateTime(details.finishedAt)}</dd>
                  </>
                ) : null}
              </>
            ) : null}
          </dl>
        </>
      ) : (
        <p className="notice notice-warning">This task is no longer in the graph.</p>
      )}
      {result.error && !details ? (
        <ErrorMessage title="Could not load the details" error={errorText(result.error)} onRetry={refresh} />
      ) : !details ? (
        <Loading what="dependencies and artifacts" />
      ) : (
        <>
          <h3>Depends on</h3>
          <TaskLinks links={details.dependsOn} empty="No dependencies." onSelect={onSelect} />
          <h3>Needed by</h3>
          <TaskLinks links={details.dependents} empty="Nothing waits for this task." onSelect={onSelect} />
          <h3>Artifacts</h3>
          <ArtifactList artifacts={details.artifacts} />
        </>
      )}
    </aside>
  );
};
