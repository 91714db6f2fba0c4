import { AgentQueues, agentRoles, budgetKeys, type RedisClient } from '@ai-org/core';
import neo4j, { type Driver } from 'neo4j-driver';

type Context = { readonly bolt: Driver; readonly redis: RedisClient; readonly tenant: string };

/** At most this many tasks are described: enough to see a pattern, not a whole run. */
const shown = 10;

/**
 * What the ledger, Redis, Neo4j and the processes' logs hold about each task whose accounting is off:
 * a reservation the ledger has no settlement for, or a task charged other than once (no dispatch, or
 * more than one, with a positive settlement). Printed when the accounting check fails, before the
 * tenant's data is deleted. A settlement without a role is a release (dispatch undo, recovery, a stale
 * job); one with a role was made by the job's worker or the reservation reconciler.
 */
export const diagnoseAccounting = async (context: Context, logs: string): Promise<string> => {
  const { bolt, tenant } = context;
  const { records } = await bolt.executeQuery(
    `MATCH (t:Task {tenantId: $tenant})
     WITH t, [n IN range(1, coalesce(t.dispatchCount, 0)) | t.id + '.' + toString(n)] AS dispatches
     WITH t, dispatches,
          COLLECT { MATCH (s:LedgerEntry {tenantId: $tenant, kind: 'settle'}) WHERE s.jobId IN dispatches AND s.amountMicroUsd > 0 RETURN s.jobId } AS charged,
          COLLECT { MATCH (r:LedgerEntry {tenantId: $tenant, kind: 'reserve'}) WHERE r.jobId IN dispatches
                      AND NOT EXISTS { MATCH (:LedgerEntry {tenantId: $tenant, kind: 'settle', jobId: r.jobId}) }
                    RETURN r.jobId } AS open
     WHERE size(charged) <> 1 OR size(open) > 0
     RETURN t.id AS id, charged, open ORDER BY id LIMIT $limit`,
    { tenant, limit: neo4j.int(shown) },
  );
  const queues = new AgentQueues(context.redis, { attempts: 1, backoffMs: 0 });
  const lines = await Promise.all(
    records.map((r) =>
      describeTask(context, queues, logs, r.get('id') as string, {
        charged: r.get('charged') as string[],
        open: r.get('open') as string[],
      }),
    ),
  ).finally(() => queues.close());
  return lines.length > 0 ? lines.join('\n') : '(no task with a reservation left open or charged other than once)';
};

const describeTask = async (
  { bolt, redis, tenant }: Context,
  queues: AgentQueues,
  logs: string,
  taskId: string,
  found: { readonly charged: readonly string[]; readonly open: readonly string[] },
): Promise<string> => {
  const { records } = await bolt.executeQuery(
    `MATCH (t:Task {tenantId: $tenant, id: $taskId})
     RETURN t.status AS status, t.dispatchCount AS dispatches, t.statusReason AS reason,
            COLLECT { MATCH (t)-[:PRODUCED]->(a:Artifact) RETURN a.dispatchId + ' ' + toString(a.tokensUsed) + 'k at ' + toString(a.createdAt) } AS artifacts,
            COLLECT { MATCH (e:LedgerEntry {tenantId: $tenant}) WHERE e.jobId STARTS WITH $taskId
                      RETURN e.kind + ' ' + e.jobId + ' ' + toString(e.amountMicroUsd) + ' role=' + coalesce(e.role, '-') + ' at ' + toString(e.createdAt)
                      ORDER BY e.createdAt } AS ledger`,
    { tenant, taskId },
  );
  const task = records[0];
  const dispatches = Number(task?.get('dispatches') ?? 0);
  const dispatchIds = Array.from({ length: dispatches }, (_, i) => `${taskId}.${i + 1}`);
  const keys = budgetKeys(tenant);
  const perDispatch = await Promise.all(
    dispatchIds.map(async (job) => ({
      job,
      redisSettled: await redis.hget(keys.settled, job),
      redisReserved: await redis.hget(keys.reservations, job),
      bullmq: (
        await Promise.all(
          agentRoles.map(async (role) => {
            const found = await queues.queue(tenant, role).getJob(job);
            if (!found) return null;
            return {
              role,
              state: await found.getState(),
              attemptsMade: found.attemptsMade,
              stalledCounter: found.stalledCounter,
              failedReason: found.failedReason,
              returnvalue: found.returnvalue,
            };
          }),
        )
      ).filter((job) => job !== null),
    })),
  );
  return JSON.stringify({
    task: taskId,
    ...found,
    status: task?.get('status'),
    dispatches,
    reason: task?.get('reason'),
    artifacts: task?.get('artifacts'),
    ledger: task?.get('ledger'),
    perDispatch,
    logs: logs
      .split('\n')
      .filter((line) => line.includes(taskId))
      .slice(0, 20),
  });
};
