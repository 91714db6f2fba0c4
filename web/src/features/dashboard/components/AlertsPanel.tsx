import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { useLive } from '../../live/components/LiveProvider';
import './AlertsPanel.css';

export const AlertsFields = graphql(`
  fragment AlertsFields on Inspection {
    alerts {
      kind
      count
    }
  }
`);

const alertLabel = (kind: string): string => {
  const budget = /^budget_(\d+)$/.exec(kind);
  if (budget) return `Budget ${budget[1]} % spent`;
  if (kind === 'task_failed') return 'Failed tasks';
  if (kind === 'expensive_failure') return 'Expensive failures';
  return kind;
};

/** The inspector's alert counters, and thresholds crossed while this page was open. */
export const AlertsList = ({ inspection }: { inspection: FragmentType<typeof AlertsFields> }) => {
  const { alerts } = getFragmentData(AlertsFields, inspection);
  const crossings = useLive((state) => state.crossings);
  const raised = alerts.filter((alert) => alert.count > 0);
  return (
    <>
      {raised.length === 0 ? (
        <Empty>No alerts.</Empty>
      ) : (
        <ul className="alert-list">
          {raised.map((alert) => (
            <li key={alert.kind} className={alert.kind.startsWith('budget') ? 'alert alert-budget' : 'alert'}>
              <span>{alertLabel(alert.kind)}</span>
              <span className="count">{alert.count}</span>
            </li>
          ))}
        </ul>
      )}
      {crossings.length > 0 ? (
        <ul className="crossings" aria-label="Thresholds crossed live">
          {crossings.slice(0, 5).map((crossing) => (
            <li key={`${crossing.seq}-${crossing.threshold}`}>
              {formatTime(crossing.at)}: crossed {Math.round(crossing.threshold * 100)} % spent
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
};
