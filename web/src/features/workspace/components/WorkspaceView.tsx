import { errorText } from '../../../api/error-text';
import { formatDateTime } from '../../../ui/format';
import { Panel } from '../../../ui/Panel';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useWorkspace } from '../hooks/useWorkspace';
import { shortCommit } from '../workspace-format';
import { LiveFeed } from './LiveFeed';
import { MergesList } from './MergesList';
import { ReleasePanel } from './ReleasePanel';
import { TestRunsList } from './TestRunsList';
import { WorkspaceFiles } from './WorkspaceFiles';

/** One goal's workspace, refetched as its live events arrive. */
export const WorkspaceView = ({ goalId }: { goalId: string }) => {
  const { result, refresh, feed } = useWorkspace(goalId);
  const workspace = result.data?.workspace;
  const body =
    workspace === undefined ? (
      result.error ? (
        <Panel title="Workspace" className="span-2">
          <ErrorMessage title="Could not load the workspace" error={errorText(result.error)} onRetry={refresh} />
        </Panel>
      ) : (
        <Panel title="Workspace" className="span-2">
          <Loading what="the workspace" />
        </Panel>
      )
    ) : workspace === null ? (
      <Panel title="Workspace" className="span-2">
        <Empty>No workspace yet: it is made when the goal's first task runs. This page follows it live.</Empty>
      </Panel>
    ) : (
      <>
        <Panel title={`Files of main (${workspace.files.length})`} className="span-2" testId="workspace-files">
          <WorkspaceFiles goalId={goalId} files={workspace.files} mainCommit={workspace.mainCommit} />
        </Panel>
        <Panel title="Merges">
          <MergesList merges={workspace.merges} />
        </Panel>
        <Panel title="Test runs">
          <TestRunsList runs={workspace.testRuns} />
        </Panel>
      </>
    );
  return (
    <div className="workspace-grid" data-testid="workspace-page">
      <Panel
        title="Workspace"
        actions={
          <a href="#/workspace" className="panel-note">
            All workspaces
          </a>
        }
      >
        <dl className="workspace-facts">
          <dt>Goal</dt>
          <dd>
            <code>{goalId}</code>
          </dd>
          {workspace ? (
            <>
              <dt>main</dt>
              <dd>
                {workspace.mainCommit ? (
                  <code title={workspace.mainCommit}>{shortCommit(workspace.mainCommit)}</code>
                ) : (
                  'no commit yet'
                )}
              </dd>
              <dt>Created</dt>
              <dd>
                <time dateTime={workspace.createdAt}>{formatDateTime(workspace.createdAt)}</time>
              </dd>
            </>
          ) : null}
        </dl>
      </Panel>
      <Panel title="Release">
        <ReleasePanel release={workspace?.release ?? null} />
      </Panel>
      <Panel title="Workspace activity, live" className="span-2">
        <LiveFeed entries={feed} />
      </Panel>
      {body}
    </div>
  );
};
