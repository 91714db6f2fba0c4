import {
  AgentQueues,
  budgetKeys,
  createRedisClient,
  eventSequenceKey,
  loadConfig,
  NotificationQueues,
} from '@ai-org/core';
import type { TestApp } from '../test-app';
import { gqlAs } from './as-tenant';
import type { TenantWorld } from './fixture';
import { canonical } from './run-battery';

/** Everything of a tenant the API shows its owner, in one request. */
const ownerView = `{
  tasks { id description status statusReason owner businessValue tokensPlan tokensActual dispatchCount
    dependsOn { id } dependents { id } artifacts { id content } }
  artifacts { id content task { id } }
  goals { id text status }
  ledgerEntries { id kind jobId amountMicroUsd }
  tenants { id name }
  webhooks { id channel urlHint }
  apiKeys { id name role revokedAt }
  budget { leftUsd reservedUsd spentUsd fundedUsd }
  tenantLimits { maxRunningJobs tokensPerMinute }
  billing { monthlySpendCapUsd monthToDateUsd topUps { id status amountUsd } autoReload { enabled thresholdUsd amountUsd cardSaved lastFailure } }
  taskGraph { nodes { id status dependsOnIds } edges { from to } }
  liveSnapshot { seq }
}`;

/** Every node of the tenant with its properties, and every relationship touching one (and where it leads). */
const storedGraph = `
  MATCH (n) WHERE n.tenantId = $tenantId OR (n:Tenant AND n.id = $tenantId)
  OPTIONAL MATCH (n)-[r]-(m)
  WITH n, r, m ORDER BY type(r), m.id
  WITH n, collect([type(r), startNode(r) = n, m.id, m.tenantId]) AS links
  RETURN labels(n) AS labels, properties(n) AS props, links
  ORDER BY coalesce(n.id, '')`;

/**
 * A tenant's state three ways: as its owner reads it through the API, as stored in Neo4j (nodes,
 * properties and relationships, so an edge from another tenant's task shows), and in Redis (budget,
 * event sequence, its agent and notification queues).
 */
export const snapshotOf = async (app: TestApp, world: TenantWorld): Promise<Record<string, string>> => {
  const view = await gqlAs(app, world.caller, ownerView);
  const { records } = await app.bolt.executeQuery(storedGraph, { tenantId: world.tenantId });
  const redis = createRedisClient(loadConfig(process.env).redis.url, 'worker', 'test-isolation-snapshot');
  await redis.connect();
  const agentQueues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const notificationQueues = new NotificationQueues(redis, { attempts: 1, backoffMs: 0 });
  try {
    const keys = budgetKeys(world.tenantId);
    return {
      api: canonical(view),
      neo4j: canonical(records.map((record) => record.toObject())),
      budget: canonical(
        await Promise.all([keys.balance, keys.reservations, keys.settled].map((k) => redis.hgetall(k))),
      ),
      sequence: String(await redis.get(eventSequenceKey(world.tenantId))),
      agentJobs: canonical(await agentQueues.jobCounts(world.tenantId)),
      notificationJobs: canonical(await notificationQueues.queue(world.tenantId).getJobCounts()),
    };
  } finally {
    await agentQueues.close();
    await notificationQueues.close();
    redis.disconnect();
  }
};
