import { isCluster, type RedisClient } from './redis-client';

/**
 * Every key matching the SCAN pattern `match`. SCAN walks one server's keys, so on a Redis Cluster
 * each master is scanned (replicas hold copies). For tools and tests: it walks the whole keyspace.
 */
export const scanKeys = async (redis: RedisClient, match: string): Promise<string[]> => {
  const keys: string[] = [];
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    for await (const batch of node.scanStream({ match, count: 1_000 })) keys.push(...(batch as string[]));
  }
  return keys;
};
