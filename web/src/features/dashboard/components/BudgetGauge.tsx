import { formatPercent, formatUsd } from '../../../ui/format';
import type { LiveBudget } from '../../live/live-state';
import '../../../ui/notice.css';
import './BudgetGauge.css';
import './figures.css';

/** Alert thresholds: fraction of the funded budget spent (README "The orchestrator", inspector). */
export const budgetThresholds = [0.5, 0.8, 0.95, 1] as const;

const shares = (budget: LiveBudget) => {
  const total = Math.max(budget.fundedUsd, budget.leftUsd + budget.reservedUsd + budget.spentUsd, 0);
  const share = (value: number) => (total > 0 ? Math.max(0, value) / total : 0);
  return { total, spent: share(budget.spentUsd), reserved: share(budget.reservedUsd), left: share(budget.leftUsd) };
};

const percent = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/** Spent | reserved | left as one bar of the funded budget, with the 50/80/95/100 % alert marks. */
export const BudgetGauge = ({ budget }: { budget: LiveBudget }) => {
  const { total, spent, reserved, left } = shares(budget);
  const description = `${formatUsd(budget.spentUsd)} spent, ${formatUsd(budget.reservedUsd)} reserved, ${formatUsd(budget.leftUsd)} left of ${formatUsd(budget.fundedUsd)} funded (${formatPercent(spent)} spent)`;
  return (
    <div className="budget-gauge" data-testid="budget-gauge">
      <div className="gauge" role="img" aria-label={description}>
        <div className="gauge-scale" aria-hidden="true">
          {budgetThresholds.map((threshold) => (
            <span
              key={threshold}
              className={spent >= threshold ? 'gauge-tick gauge-tick-crossed' : 'gauge-tick'}
              style={{ left: percent(threshold) }}
            >
              {Math.round(threshold * 100)}%
            </span>
          ))}
        </div>
        <div className="gauge-bar">
          <span className="gauge-spent" style={{ width: percent(spent) }} />
          <span className="gauge-reserved" style={{ width: percent(reserved) }} />
          <span className="gauge-left" style={{ width: percent(left) }} />
          {budgetThresholds.map((threshold) => (
            <span
              key={threshold}
              className={spent >= threshold ? 'gauge-line gauge-line-crossed' : 'gauge-line'}
              style={{ left: percent(threshold) }}
            />
          ))}
        </div>
        <p className="gauge-caption">
          {total > 0 ? `${formatPercent(spent)} of the funded budget spent` : 'No budget funded yet.'}
        </p>
      </div>
      <dl className="figures figures-4">
        <div>
          <dt>
            <span className="swatch swatch-left" aria-hidden="true" /> Left
          </dt>
          <dd className="figure-large" data-testid="budget-left">
            {formatUsd(budget.leftUsd)}
          </dd>
        </div>
        <div>
          <dt>
            <span className="swatch swatch-reserved" aria-hidden="true" /> Reserved
          </dt>
          <dd>{formatUsd(budget.reservedUsd)}</dd>
        </div>
        <div>
          <dt>
            <span className="swatch swatch-spent" aria-hidden="true" /> Spent
          </dt>
          <dd>{formatUsd(budget.spentUsd)}</dd>
        </div>
        <div>
          <dt>Funded</dt>
          <dd>{formatUsd(budget.fundedUsd)}</dd>
        </div>
      </dl>
      {budget.minimumLeftUsd !== null && budget.leftUsd < budget.minimumLeftUsd ? (
        <p className="notice notice-warning">
          Less than {formatUsd(budget.minimumLeftUsd)} left: nothing new is dispatched until the budget is topped up.
        </p>
      ) : null}
    </div>
  );
};
