import { useCallback } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { formatDateTime } from '../../../ui/format';
import { Panel } from '../../../ui/Panel';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { workspacesQuery } from '../graphql/workspace.documents';
import { shortCommit } from '../workspace-format';
import { workspaceHref } from '../workspace-route';

/** The tenant's workspaces, newest first, each linking to its page. */
export const WorkspacesList = () => {
  const [result, reexecute] = useQuery({ query: workspacesQuery, requestPolicy: 'network-only' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const workspaces = result.data?.workspaces;
  return (
    <Panel title="Workspaces" testId="workspaces">
      {workspaces ? (
        workspaces.length > 0 ? (
          <ul className="workspace-items">
            {workspaces.map((workspace) => (
              <li key={workspace.id} className="workspace-item workspace-item-head">
                <a href={workspaceHref(workspace.goalId)} data-testid={`workspace-link-${workspace.goalId}`}>
                  goal <code>{workspace.goalId}</code>
                </a>
                {workspace.mainCommit ? <code>{shortCommit(workspace.mainCommit)}</code> : <span>no commit</span>}
                {workspace.release ? <span className="tag tag-done">{workspace.release.tag}</span> : null}
                <time dateTime={workspace.createdAt}>{formatDateTime(workspace.createdAt)}</time>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No workspace yet: one is made when a goal's first task runs.</Empty>
        )
      ) : result.error ? (
        <ErrorMessage title="Could not load the workspaces" error={errorText(result.error)} onRetry={refresh} />
      ) : (
        <Loading what="workspaces" />
      )}
    </Panel>
  );
};
