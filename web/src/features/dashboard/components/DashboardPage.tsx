import { errorText } from '../../../api/error-text';
import { Panel } from '../../../ui/Panel';
import { ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useDashboardSummary } from '../hooks/useDashboardSummary';
import { AlertsList } from './AlertsPanel';
import { BacklogPanel } from './BacklogPanel';
import { BudgetPanel } from './BudgetPanel';
import { ForecastPanel } from './ForecastPanel';
import { MetricsPanel } from './MetricsPanel';
import { SpendVsPlan } from './SpendVsPlan';
import '../../../ui/layout.css';
import './DashboardPage.css';

export const DashboardPage = () => {
  const { data, error, fetching, refresh } = useDashboardSummary();
  const summaryState = (what: string) =>
    error && !data ? (
      <ErrorMessage title={`Could not load ${what}`} error={errorText(error)} onRetry={refresh} />
    ) : (
      <Loading what={what} />
    );
  return (
    <div className="dashboard-grid" aria-busy={fetching}>
      <BudgetPanel />
      <SpendVsPlan />
      <Panel title="Budget forecast">
        {data ? <ForecastPanel forecast={data.budgetForecast} /> : summaryState('the forecast')}
      </Panel>
      <MetricsPanel inspection={data?.inspection ?? null} />
      <Panel title="Alerts" className="span-2">
        {data ? <AlertsList inspection={data.inspection} /> : summaryState('alerts')}
      </Panel>
      <BacklogPanel />
    </div>
  );
};
