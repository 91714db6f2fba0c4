import { alertKeys, type Balance, budgetAlertThresholds } from '@ai-org/core';
import type { TaskRecord } from '@ai-org/schema';
import type { Redis } from 'ioredis';

export type AlertKind = `budget_${number}` | 'task_failed' | 'expensive_failure';

/**
 * Raises each alert once: a budget threshold (50/80/95/100 % of the funded budget spent) once per
 * budget period — a top-up or a new budget starts a new one —, and each failed task once. State
 * lives in Redis, so restarts and several orchestrators do not repeat alerts.
 */
export class AlertTracker {
  constructor(private readonly redis: Redis) {}

  async check(tenantId: string, balance: Balance | null, tasks: readonly TaskRecord[]): Promise<AlertKind[]> {
    const k = alertKeys(tenantId);
    const fired: AlertKind[] = [];
    if (balance && balance.funded > 0) {
      const spentRatio = balance.spent / balance.funded;
      for (const threshold of budgetAlertThresholds) {
        if (spentRatio < threshold) continue;
        const first = await this.redis.set(k.budget(threshold, balance.funded), '1', 'NX');
        if (first === 'OK') fired.push(`budget_${Math.round(threshold * 100)}`);
      }
    }
    for (const task of tasks) {
      if (task.status !== 'failed') continue;
      if ((await this.redis.sadd(k.failed, task.id)) === 1) {
        fired.push(task.statusReason?.startsWith('expensive failure') ? 'expensive_failure' : 'task_failed');
      }
    }
    for (const kind of fired) await this.redis.hincrby(k.counts, kind, 1);
    return fired;
  }
}
