import { useMemo } from 'react';
import { formatPercent, formatTokens, formatUsd } from '../../../ui/format';
import { Meter } from '../../../ui/Meter';
import { Panel } from '../../../ui/Panel';
import { Empty, Loading } from '../../../ui/StateMessage';
import { useLive } from '../../live/components/LiveProvider';
import type { LiveTask } from '../../live/live-state';

const totals = (tasks: ReadonlyMap<string, LiveTask>) => {
  let plan = 0;
  let actual = 0;
  let donePlan = 0;
  let doneActual = 0;
  for (const task of tasks.values()) {
    plan += task.tokensPlan;
    actual += task.tokensActual;
    if (task.status === 'done') {
      donePlan += task.tokensPlan;
      doneActual += task.tokensActual;
    }
  }
  return { plan, actual, donePlan, doneActual };
};

/** Tokens used against tokens planned (finished work, and everything), and USD spent against the plan's cost. */
export const SpendVsPlan = () => {
  const tasks = useLive((state) => state.tasks);
  const budget = useLive((state) => state.budget);
  const loaded = useLive((state) => state.loaded);
  const sums = useMemo(() => totals(tasks), [tasks]);
  const price = budget?.pricePer1kTokensUsd ?? null;
  if (!loaded) {
    return (
      <Panel title="Spend vs plan">
        <Loading what="tasks" />
      </Panel>
    );
  }
  if (tasks.size === 0) {
    return (
      <Panel title="Spend vs plan">
        <Empty>No tasks yet: set a goal to get a plan.</Empty>
      </Panel>
    );
  }
  const doneRatio = sums.donePlan > 0 ? sums.doneActual / sums.donePlan : 0;
  const planCost = price === null ? null : sums.plan * price;
  return (
    <Panel title="Spend vs plan">
      <Meter
        label="Tokens, finished tasks: used / plan"
        value={doneRatio}
        valueText={`${formatTokens(sums.doneActual)} / ${formatTokens(sums.donePlan)} (${formatPercent(doneRatio)})`}
        color={doneRatio > 1 ? '#dc3545' : '#22a559'}
      />
      <Meter
        label="Tokens, all tasks: used / plan"
        value={sums.plan > 0 ? sums.actual / sums.plan : 0}
        valueText={`${formatTokens(sums.actual)} / ${formatTokens(sums.plan)}`}
      />
      {budget && planCost !== null ? (
        <Meter
          label="USD spent / plan cost"
          value={planCost > 0 ? budget.spentUsd / planCost : 0}
          valueText={`${formatUsd(budget.spentUsd)} / ${formatUsd(planCost)}`}
          color="#475569"
        />
      ) : null}
    </Panel>
  );
};
