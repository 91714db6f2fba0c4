import { usePermissions } from '../../../session/MeProvider';
import { Panel } from '../../../ui/Panel';
import { ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useLive, useLiveSync } from '../../live/components/LiveProvider';
import { BudgetGauge } from './BudgetGauge';
import { TopUpForm } from './TopUpForm';
import '../../../ui/layout.css';

export const BudgetPanel = () => {
  const budget = useLive((state) => state.budget);
  const { error } = useLiveSync();
  const { administerBudget } = usePermissions();
  return (
    <Panel title="Budget" className="span-2">
      {budget ? (
        <BudgetGauge budget={budget} />
      ) : error ? (
        <ErrorMessage title="Could not load the budget" error={error} />
      ) : (
        <Loading what="the budget" />
      )}
      {administerBudget ? <TopUpForm /> : null}
    </Panel>
  );
};
