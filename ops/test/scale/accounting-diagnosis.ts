import { AgentQueues, agentRoles, budgetKeys, type RedisClient } from '@ai-org/core';
import type { Driver } from 'neo4j-driver';

/**
 * What the ledger, Redis, Neo4j and the processes' logs hold about every reservation the ledger has no
 * settlement for: printed when the accounting check fails, before the tenant's data is deleted.
 */
export const diagnoseUnsettled = async (
  { bolt, redis, tenant }: { readonly bolt: Driver; readonly redis: RedisClient; readonly tenant: string },
  logs: string,
): Promise<string> => {
  const { records } = await bolt.executeQuery(
    `MATCH (r:LedgerEntry {tenantId: $tenant, kind: 'reserve'})
     WHERE NOT EXISTS { MATCH (s:LedgerEntry {tenantId: $tenant, kind: 'settle', jobId: r.jobId}) }
     WITH r, split(r.jobId, '.')[0] AS taskId
     OPTIONAL MATCH (t:Task {tenantId: $tenant, id: taskId})
     OPTIONAL MATCH (t)-[:PRODUCED]->(a:Artifact)
     OPTIONAL MATCH (e:LedgerEntry {tenantId: $tenant}) WHERE e.jobId STARTS WITH taskId
     RETURN r.jobId AS job, t.status AS status, t.dispatchCount AS dispatches, t.statusReason AS reason,
            count(DISTINCT a) AS artifacts, collect(DISTINCT e.kind + ' ' + e.jobId + ' ' + e.amountMicroUsd) AS entries`,
    { tenant },
  );
  const keys = budgetKeys(tenant);
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const lines = await Promise.all(
    records.map(async (r) => {
      const job = r.get('job') as string;
      const taskId = job.split('.')[0] as string;
      const redisState = {
        settled: await redis.hget(keys.settled, job),
        reserved: await redis.hget(keys.reservations, job),
      };
      const jobs = await Promise.all(
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
      );
      const logLines = logs.split('\n').filter((line) => line.includes(taskId));
      return JSON.stringify({
        job,
        status: r.get('status'),
        dispatches: Number(r.get('dispatches')),
        reason: r.get('reason'),
        artifacts: Number(r.get('artifacts')),
        ledger: r.get('entries'),
        redis: redisState,
        bullmq: jobs.filter((found) => found !== null),
        logs: logLines.slice(0, 10),
      });
    }),
  );
  await queues.close();
  return lines.join('\n');
};
