import type { RedisClient } from '../redis/redis-client';

/** Where alert state lives in Redis (hash-tagged by tenant). Written by the orchestrator, read by the API. */
export const alertKeys = (tenantId: string) => ({
  /** One key per threshold and budget period (the funded amount); SET NX makes it fire once. */
  budget: (threshold: number, period: number) => `alerts:{${tenantId}}:budget:${threshold}:${period}`,
  /**
   * Set: task failures already alerted on, one member per task, run and kind (`failedRunMember`).
   * Members written before alerts were kept per run are bare task ids.
   */
  failed: `alerts:{${tenantId}}:failed`,
  /** One key per finished plan (its task count); SET NX makes "plan finished" fire once per plan. */
  planFinished: (taskCount: number) => `alerts:{${tenantId}}:plan-finished:${taskCount}`,
  /** Hash: alert kind → how often it fired. */
  counts: `alerts:{${tenantId}}:counts`,
});

/** A failure of one run of a task (its dispatch count) as one kind of alert: raised once each. */
export const failedRunMember = (taskId: string, dispatchCount: number, kind: string): string =>
  `${taskId}:${dispatchCount}:${kind}`;

/** How often each alert fired for the tenant. */
export const readAlertCounts = async (redis: RedisClient, tenantId: string): Promise<Record<string, number>> => {
  const raw = await redis.hgetall(alertKeys(tenantId).counts);
  return Object.fromEntries(Object.entries(raw).map(([kind, n]) => [kind, Number(n)]));
};
