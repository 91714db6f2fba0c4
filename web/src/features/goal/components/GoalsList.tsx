import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { usePermissions } from '../../../session/MeProvider';
import { formatDateTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { workspaceHref } from '../../workspace/workspace-route';
import { PlanApproval } from './PlanApproval';
import '../../../ui/tag.css';

export const GoalFields = graphql(`
  fragment GoalFields on Goal {
    id
    text
    status
    statusReason
    plannedBy
    taskCount
    createdAt
  }
`);

const goalStatusClass: Record<string, string> = {
  pending: 'tag',
  planning: 'tag tag-doing',
  planned: 'tag tag-done',
  awaiting_approval: 'tag tag-doing',
  rejected: 'tag tag-failed',
  failed: 'tag tag-failed',
};

/** The tenant's goals, newest first, with how (and whether) each was planned. */
export const GoalsList = ({
  goals,
  onDecided,
}: {
  goals: readonly FragmentType<typeof GoalFields>[];
  /** A plan was approved or rejected here: the goals are read again. */
  onDecided: () => void;
}) => {
  // Workspaces are read by members and owners (the roles that may change tasks).
  const { changeTasks: readWorkspaces } = usePermissions();
  if (goals.length === 0) return <Empty>No goal yet.</Empty>;
  return (
    <ul className="goals-list" data-testid="goals-list">
      {goals.map((ref) => {
        const goal = getFragmentData(GoalFields, ref);
        return (
          <li key={goal.id} className="goal">
            <div className="goal-head">
              <span className="goal-text">{goal.text}</span>
              <span className={goalStatusClass[goal.status] ?? 'tag'}>{goal.status}</span>
            </div>
            <div className="goal-meta">
              <time dateTime={goal.createdAt}>{formatDateTime(goal.createdAt)}</time>
              {goal.taskCount !== null ? <span>{goal.taskCount} tasks</span> : null}
              {goal.plannedBy ? <span>planned by {goal.plannedBy}</span> : null}
              <code>{goal.id}</code>
              {readWorkspaces ? (
                <a href={workspaceHref(goal.id)} data-testid={`goal-workspace-${goal.id}`}>
                  workspace
                </a>
              ) : null}
            </div>
            {goal.statusReason ? <p className="goal-reason">{goal.statusReason}</p> : null}
            {goal.status === 'awaiting_approval' ? <PlanApproval goalId={goal.id} onDecided={onDecided} /> : null}
          </li>
        );
      })}
    </ul>
  );
};
