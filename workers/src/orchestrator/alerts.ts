import { alertKeys, type Balance, budgetAlertThresholds, failedRunMember, type RedisClient } from '@ai-org/core';
import type { TaskRecord } from '@ai-org/schema';

export type AlertKind = `budget_${number}` | 'task_failed' | 'expensive_failure';

/**
 * What the alerts read of a task (a `TaskState` of the tick's read is one): the description matters for a
 * failed task only, whose alert quotes it; the tick's read has it for those (null for the others).
 */
export type AlertedTask = Pick<TaskRecord, 'id' | 'status' | 'statusReason' | 'dispatchCount'> & {
  readonly description: string | null;
};

/** An alert as it fired: budget alerts carry their threshold, task alerts the task. */
export type FiredAlert =
  | { readonly kind: `budget_${number}`; readonly threshold: number }
  | { readonly kind: 'task_failed' | 'expensive_failure'; readonly task: AlertedTask };

/** A plan whose tasks are all settled (done, failed or blocked). */
export interface FinishedPlan {
  readonly taskCount: number;
  readonly done: number;
  readonly failed: number;
  readonly blocked: number;
}

/** Statuses in which a task will not move again without someone acting. */
const settledStatuses: ReadonlySet<string> = new Set(['done', 'failed', 'blocked']);

/**
 * Raises each alert once: a budget threshold (50/80/95/100 % of the funded budget spent) once per
 * budget period — a top-up or a new budget starts a new one —, and a failed task once per run (its
 * dispatch count) and kind: a task re-run with dispatchTask that fails again, normally or as an
 * expensive failure, raises its alert again. State lives in Redis, so restarts and several
 * orchestrators do not repeat alerts.
 */
export class AlertTracker {
  constructor(private readonly redis: RedisClient) {}

  async check(tenantId: string, balance: Balance | null, tasks: readonly AlertedTask[]): Promise<FiredAlert[]> {
    const k = alertKeys(tenantId);
    const fired: FiredAlert[] = [];
    if (balance && balance.funded > 0) {
      const spentRatio = balance.spent / balance.funded;
      for (const threshold of budgetAlertThresholds) {
        if (spentRatio < threshold) continue;
        const first = await this.redis.set(k.budget(threshold, balance.funded), '1', 'NX');
        if (first === 'OK') fired.push({ kind: `budget_${Math.round(threshold * 100)}`, threshold });
      }
    }
    const failures = tasks.flatMap((task) => {
      if (task.status !== 'failed') return [];
      const kind = task.statusReason?.startsWith('expensive failure') ? 'expensive_failure' : 'task_failed';
      return [{ task, kind, member: failedRunMember(task.id, task.dispatchCount, kind) } as const];
    });
    // One read for every failure alerted already (most of them, every tick after the first), so that
    // a tenant with many failed tasks does not cost a round trip per task per tick; the SADD decides.
    const known = failures.length > 0 ? await this.redis.smismember(k.failed, ...failures.map((f) => f.member)) : [];
    for (const [index, { task, kind, member }] of failures.entries()) {
      if (known[index] === 1) continue;
      if ((await this.redis.sadd(k.failed, member)) !== 1) continue;
      // A bare task id was stored by releases that alerted once per task: that alert was this failure's.
      if ((await this.redis.srem(k.failed, task.id)) === 1) continue;
      fired.push({ kind, task });
    }
    for (const { kind } of fired) await this.redis.hincrby(k.counts, kind, 1);
    return fired;
  }

  /**
   * The tenant's plan, the first time all its tasks are settled (none todo, queued, doing or waiting
   * for budget); null otherwise. Once per plan, keyed by the task count: a later plan (more tasks)
   * finishes anew. Not an alert: it is not counted among them.
   */
  async planFinished(tenantId: string, tasks: readonly Pick<TaskRecord, 'status'>[]): Promise<FinishedPlan | null> {
    if (tasks.length === 0 || !tasks.every((task) => settledStatuses.has(task.status))) return null;
    const first = await this.redis.set(alertKeys(tenantId).planFinished(tasks.length), '1', 'NX');
    if (first !== 'OK') return null;
    const count = (status: string) => tasks.filter((task) => task.status === status).length;
    return { taskCount: tasks.length, done: count('done'), failed: count('failed'), blocked: count('blocked') };
  }
}
