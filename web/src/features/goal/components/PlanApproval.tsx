import { useMutation, useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
import { approvePlanMutation, planApprovalQuery, rejectPlanMutation } from '../graphql/plan-approval.documents';

const usd = (amount: number) => amount.toFixed(2);

/**
 * A goal whose plan waits for spend approval: its planned cost, and Approve / Reject for owners (hidden
 * for other roles). Approving names the plan hash read here, so a plan changed meanwhile is refused
 * (CONFLICT) and shown again as it is now.
 */
export const PlanApproval = ({ goalId, onDecided }: { goalId: string; onDecided: () => void }) => {
  const [result, reexecute] = useQuery({ query: planApprovalQuery, variables: { goalId } });
  const [approval, approve] = useMutation(approvePlanMutation);
  const [rejection, reject] = useMutation(rejectPlanMutation);
  const { decidePlans } = usePermissions();
  const plan = result.data?.planApproval;
  if (plan?.state !== 'awaiting_approval') return null;
  const busy = approval.fetching || rejection.fetching;
  const error = approval.error ?? rejection.error;
  const decided = (outcome: { data?: unknown; error?: unknown }) => {
    reexecute({ requestPolicy: 'network-only' });
    if (outcome.data) onDecided();
  };
  return (
    <div className="plan-approval" data-testid={`plan-approval-${goalId}`}>
      <p>
        <strong>awaiting approval: {usd(plan.plannedCostUsd)} USD planned</strong> ({plan.taskCount} tasks; none runs
        before an owner approves)
      </p>
      {decidePlans ? (
        <div className="plan-approval-actions">
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            data-testid={`plan-approve-${goalId}`}
            onClick={() => void approve({ goalId, planHash: plan.planHash }).then(decided)}
          >
            Approve
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={busy}
            data-testid={`plan-reject-${goalId}`}
            onClick={() => void reject({ goalId }).then(decided)}
          >
            Reject
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="field-error">
          {errorText(error)}
        </p>
      ) : null}
    </div>
  );
};
