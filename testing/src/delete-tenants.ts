import {
  AgentQueues,
  agentRoles,
  createRedisClient,
  NotificationQueues,
  type RedisConnection,
  scanKeys,
} from '@ai-org/core';
import type { Driver } from 'neo4j-driver';

/** Every label a tenant's data is stored under, besides the Tenant node itself. */
const tenantLabels =
  'Task|Artifact|Goal|LedgerEntry|Webhook|ApiKey|Workspace|AgentStep|TestRun|Merge|Release|TopUp|BillingAccount';

/**
 * Deletes everything the given (test) tenants left behind: their nodes in Neo4j, and in Redis their
 * role and notification queues and every key hash-tagged with the tenant (budget, alerts, events).
 */
export const deleteTenantData = async (
  tenantIds: readonly string[],
  {
    bolt,
    redisUrl,
    database,
  }: {
    bolt: Driver;
    /** A Redis URL, or `config.redis` (which may name a cluster). */
    redisUrl: string | RedisConnection;
    database?: string | undefined;
  },
): Promise<void> => {
  if (tenantIds.length === 0) return;
  await bolt.executeQuery(
    `MATCH (n:${tenantLabels}) WHERE n.tenantId IN $tenantIds DETACH DELETE n
     WITH count(*) AS ignored
     MATCH (tn:Tenant) WHERE tn.id IN $tenantIds DETACH DELETE tn`,
    { tenantIds },
    { database },
  );
  const redis = createRedisClient(redisUrl, 'worker', 'test-cleanup');
  await redis.connect();
  const agentQueues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const notificationQueues = new NotificationQueues(redis, { attempts: 1, backoffMs: 0 });
  try {
    for (const tenant of tenantIds) {
      for (const role of agentRoles) await agentQueues.queue(tenant, role).obliterate({ force: true });
      await notificationQueues.queue(tenant).obliterate({ force: true });
      // One tenant's keys share its hash tag, so one DEL is allowed even on a cluster.
      const keys = await scanKeys(redis, `*{${tenant}}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    await agentQueues.close();
    await notificationQueues.close();
    redis.disconnect();
  }
};
