import { formatTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { useLive } from '../../live/components/LiveProvider';

const phaseText: Record<string, string> = {
  planning: 'planning started',
  accepted: 'plan accepted',
  refused: 'plan refused',
  waiting: 'waiting for budget',
  awaiting_approval: 'awaiting approval',
  approved: 'plan approved',
  rejected: 'plan rejected',
};

/** `plan` events as they arrive: planning, accepted (with the task count), refused, waiting. */
export const PlanProgress = () => {
  const plans = useLive((state) => state.plans);
  if (plans.length === 0) return <Empty>No planning activity since this page was opened.</Empty>;
  return (
    <ol className="plan-progress" aria-live="polite">
      {plans.map((plan) => (
        <li key={plan.seq} className={`plan-phase plan-${plan.phase}`}>
          <time dateTime={plan.at}>{formatTime(plan.at)}</time>
          <strong>{phaseText[plan.phase] ?? plan.phase}</strong>
          {plan.taskCount !== null ? <span>{plan.taskCount} tasks</span> : null}
          <code>{plan.goalId}</code>
          {plan.reason ? <span className="plan-reason">{plan.reason}</span> : null}
        </li>
      ))}
    </ol>
  );
};
