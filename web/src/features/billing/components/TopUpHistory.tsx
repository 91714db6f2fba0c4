import type { BillingQuery } from '../../../gql/graphql';
import { formatDateTime, formatUsd } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import '../../dashboard/components/data-table.css';
import '../../../ui/tag.css';

type TopUp = BillingQuery['billing']['topUps'][number];

const statusText: Record<string, string> = { open: 'not paid', paid: 'paid' };

/** The latest top-ups and reloads, newest first: an open one was started on Stripe but not paid (yet). */
export const TopUpHistory = ({ topUps }: { topUps: readonly TopUp[] }) =>
  topUps.length === 0 ? (
    <Empty>No top-ups yet.</Empty>
  ) : (
    <table className="data-table" data-testid="billing-top-ups">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Amount</th>
          <th scope="col">Status</th>
          <th scope="col">Paid</th>
        </tr>
      </thead>
      <tbody>
        {topUps.map((topUp) => (
          <tr key={topUp.id} data-testid={`billing-top-up-${topUp.id}`} data-status={topUp.status}>
            <td>{formatDateTime(topUp.createdAt)}</td>
            <td>{formatUsd(topUp.amountUsd)}</td>
            <td>
              <span className={topUp.status === 'paid' ? 'tag tag-paid' : 'tag'}>
                {statusText[topUp.status] ?? topUp.status}
              </span>
            </td>
            <td>{topUp.paidAt ? formatDateTime(topUp.paidAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
