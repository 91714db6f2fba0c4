import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatNumber, formatPercent, formatTokens } from '../../../ui/format';
import { Meter } from '../../../ui/Meter';
import { Panel } from '../../../ui/Panel';
import { Empty } from '../../../ui/StateMessage';
import { useLive } from '../../live/components/LiveProvider';
import '../../../ui/layout.css';
import './data-table.css';
import './figures.css';

export const InspectionFigures = graphql(`
  fragment InspectionFigures on Inspection {
    total
    done
    ready
    running
    blockedByFailure
    waitingForBudget
    criticalPathTasks
    criticalPathTokens
    progress
  }
`);

export interface MetricsPanelProps {
  /** The last inspection, shown until the first `metrics` event arrives. */
  readonly inspection: FragmentType<typeof InspectionFigures> | null;
}

/** Live figures from `metrics` events: ready, running, blocked, critical path, progress, queue depth per role. */
export const MetricsPanel = ({ inspection }: MetricsPanelProps) => {
  const live = useLive((state) => state.metrics);
  const fallback = inspection ? getFragmentData(InspectionFigures, inspection) : null;
  const figures = live ?? (fallback && { ...fallback, blocked: fallback.blockedByFailure, queues: null });
  return (
    <Panel
      title="Live metrics"
      className="span-2"
      testId="metrics-panel"
      actions={<span className="panel-note">{live ? 'from metrics events' : 'from the last inspection'}</span>}
    >
      {figures ? (
        <>
          <dl className="figures figures-5">
            <Figure label="Ready" value={figures.ready} />
            <Figure label="Running" value={figures.running} />
            <Figure label="Blocked" value={figures.blocked} />
            <Figure label="Waiting for budget" value={figures.waitingForBudget} />
            <div>
              <dt>Critical path</dt>
              <dd>
                {figures.criticalPathTasks} tasks · {formatTokens(figures.criticalPathTokens)} tokens
              </dd>
            </div>
          </dl>
          <Meter
            label="Progress (value done / all value)"
            value={figures.progress}
            valueText={formatPercent(figures.progress)}
          />
          <QueueTable queues={figures.queues} />
        </>
      ) : (
        <Empty>No figures yet.</Empty>
      )}
    </Panel>
  );
};

const Figure = ({ label, value }: { label: string; value: number }) => (
  <div>
    <dt>{label}</dt>
    <dd className="figure-large">{formatNumber(value)}</dd>
  </div>
);

const QueueTable = ({ queues }: { queues: readonly { role: string; waiting: number; active: number }[] | null }) => {
  if (queues === null) return <Empty>Queue depth per role arrives with the first metrics event.</Empty>;
  if (queues.length === 0) return <Empty>No role queues yet.</Empty>;
  return (
    <table className="data-table compact">
      <caption>Queue depth per role</caption>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col" className="num">
            Waiting
          </th>
          <th scope="col" className="num">
            Active
          </th>
        </tr>
      </thead>
      <tbody>
        {queues.map((queue) => (
          <tr key={queue.role}>
            <td>{queue.role}</td>
            <td className="num">{queue.waiting}</td>
            <td className="num">{queue.active}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
