import type { Balance, NotificationEvent } from '@ai-org/core';
import { clip } from '@ai-org/domain';
import type { FinishedPlan, FiredAlert } from './alerts';

/**
 * What one tick tells the tenant's webhooks: thresholds crossed together (0 → 100 % in one tick)
 * collapse into one message naming the highest; each failed run of a task (with its dispatch count,
 * so a re-run's failure is a new occurrence) and a finished plan get their own.
 */
export const notificationEvents = (tick: {
  readonly fired: readonly FiredAlert[];
  readonly balance: Balance | null;
  readonly planFinished: FinishedPlan | null;
}): NotificationEvent[] => {
  const events: NotificationEvent[] = [];
  const thresholds = tick.fired.flatMap((alert) => ('threshold' in alert ? [alert.threshold] : []));
  if (thresholds.length > 0 && tick.balance) {
    events.push({
      kind: 'budget_threshold',
      thresholdPercent: Math.round(Math.max(...thresholds) * 100),
      spentMicroUsd: tick.balance.spent,
      leftMicroUsd: tick.balance.left,
      fundedMicroUsd: tick.balance.funded,
    });
  }
  for (const alert of tick.fired) {
    if (!('task' in alert)) continue;
    events.push({
      kind: alert.kind,
      taskId: alert.task.id,
      description: clip(alert.task.description ?? ''),
      reason: alert.task.statusReason === null ? null : clip(alert.task.statusReason),
      dispatchCount: alert.task.dispatchCount,
    });
  }
  if (tick.planFinished) events.push({ kind: 'plan_finished', ...tick.planFinished });
  return events;
};
