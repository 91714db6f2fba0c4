import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatUsd } from '../../../ui/format';
import { Meter } from '../../../ui/Meter';
import { useLive } from '../../live/components/LiveProvider';
import '../../../ui/notice.css';

export const BudgetForecastFields = graphql(`
  fragment BudgetForecastFields on BudgetForecast {
    costToFinishUsd
    budgetLeftUsd
    firstUnaffordableTaskId
  }
`);

/** Whether what is left pays for the remaining planned work, and where admission would stop. */
export const ForecastPanel = ({ forecast }: { forecast: FragmentType<typeof BudgetForecastFields> }) => {
  const { costToFinishUsd, budgetLeftUsd, firstUnaffordableTaskId } = getFragmentData(BudgetForecastFields, forecast);
  const stuck = useLive((state) => (firstUnaffordableTaskId ? state.tasks.get(firstUnaffordableTaskId) : undefined));
  const covered = costToFinishUsd <= budgetLeftUsd;
  return (
    <>
      <Meter
        label="Budget left / cost to finish"
        value={costToFinishUsd > 0 ? budgetLeftUsd / costToFinishUsd : 1}
        valueText={`${formatUsd(budgetLeftUsd)} / ${formatUsd(costToFinishUsd)}`}
        color={covered ? '#22a559' : '#f2711c'}
      />
      {firstUnaffordableTaskId ? (
        <p className="notice notice-warning">
          Short by {formatUsd(Math.max(0, costToFinishUsd - budgetLeftUsd))}. The first task the budget cannot pay for:{' '}
          <strong>{stuck?.description ?? firstUnaffordableTaskId}</strong> <code>{firstUnaffordableTaskId}</code>
        </p>
      ) : (
        <p className="notice notice-ok">The budget covers every remaining task.</p>
      )}
    </>
  );
};
