import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
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
  const { changeTasks } = usePermissions();
  return (
    <div className="goal-grid">
      {changeTasks ? (
        <Panel title="Set a goal">
          <GoalForm onSet={refresh} />
        </Panel>
      ) : null}
      <Panel title="Planning, live">
        <PlanProgress />
      </Panel>
      <Panel title="Goals" className="span-2">
        {data ? (
          <GoalsList goals={data.goals} onDecided={refresh} />
        ) : error ? (
          <ErrorMessage title="Could not load the goals" error={errorText(error)} onRetry={refresh} />
        ) : (
          <Loading what="goals" />
        )}
      </Panel>
    </div>
  );
};
