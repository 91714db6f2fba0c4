import { Panel } from '../../../ui/Panel';
import { ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useGoals } from '../hooks/useGoals';
import { GoalForm } from './GoalForm';
import { GoalsList } from './GoalsList';
import { PlanProgress } from './PlanProgress';
import '../../../ui/layout.css';
import './goal.css';

export const GoalPage = () => {
  const { data, error, refresh } = useGoals();
  return (
    <div className="goal-grid">
      <Panel title="Set a goal">
        <GoalForm onSet={refresh} />
      </Panel>
      <Panel title="Planning, live">
        <PlanProgress />
      </Panel>
      <Panel title="Goals" className="span-2">
        {data ? (
          <GoalsList goals={data.goals} />
        ) : error ? (
          <ErrorMessage title="Could not load the goals" error={error.message} onRetry={refresh} />
        ) : (
          <Loading what="goals" />
        )}
      </Panel>
    </div>
  );
};
