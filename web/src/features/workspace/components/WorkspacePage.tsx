import { usePermissions } from '../../../session/MeProvider';
import { Empty } from '../../../ui/StateMessage';
import { useWorkspaceGoalId } from '../hooks/useWorkspaceGoalId';
import { WorkspacesList } from './WorkspacesList';
import { WorkspaceView } from './WorkspaceView';
import '../../../ui/layout.css';
import '../../../ui/tag.css';
import '../../goal/components/goal.css';
import './workspace.css';

/** `#/workspace`: the tenant's workspaces; `#/workspace/<goalId>`: one goal's workspace, live. */
export const WorkspacePage = () => {
  const goalId = useWorkspaceGoalId();
  // Workspaces are read by members and owners, the roles that may change tasks.
  const { changeTasks } = usePermissions();
  if (!changeTasks) return <Empty>Only the tenant's members and owners see its workspaces.</Empty>;
  return goalId ? <WorkspaceView key={goalId} goalId={goalId} /> : <WorkspacesList />;
};
