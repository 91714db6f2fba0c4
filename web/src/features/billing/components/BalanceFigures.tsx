import { formatUsd } from '../../../ui/format';
import '../../dashboard/components/figures.css';

export interface Balance {
  readonly leftUsd: number;
  readonly reservedUsd: number;
  readonly spentUsd: number;
  readonly fundedUsd: number;
}

/** The budget's balances: left, reserved for running work, spent, and everything ever funded. */
export const BalanceFigures = ({ budget }: { budget: Balance }) => (
  <dl className="figures figures-4">
    <div>
      <dt>Left</dt>
      <dd className="figure-large" data-testid="billing-left">
        {formatUsd(budget.leftUsd)}
      </dd>
    </div>
    <div>
      <dt>Reserved</dt>
      <dd>{formatUsd(budget.reservedUsd)}</dd>
    </div>
    <div>
      <dt>Spent</dt>
      <dd>{formatUsd(budget.spentUsd)}</dd>
    </div>
    <div>
      <dt>Funded</dt>
      <dd data-testid="billing-funded">{formatUsd(budget.fundedUsd)}</dd>
    </div>
  </dl>
);
