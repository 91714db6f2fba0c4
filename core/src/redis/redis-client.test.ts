import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { createRedisClient, isCluster, parseNode } from './redis-client';

describe('createRedisClient', () => {
  it('gives one Redis for a URL, and for config.redis without cluster nodes', () => {
    const fromUrl = createRedisClient('redis://127.0.0.1:6379', 'producer');
    const fromConfig = createRedisClient(loadConfig({}).redis, 'worker');
    expect(fromUrl).toBeInstanceOf(Redis);
    expect(isCluster(fromConfig)).toBe(false);
    expect(fromUrl.options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    expect(fromConfig.options).toMatchObject({ maxRetriesPerRequest: null, lazyConnect: true });
  });

  it('gives a Cluster with the role’s options on every node when REDIS_CLUSTER_NODES is set', () => {
    const { redis } = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' });
    const producer = createRedisClient(redis, 'producer', 'api');
    const worker = createRedisClient(redis, 'worker', 'workers');
    if (!(producer instanceof Cluster) || !(worker instanceof Cluster)) throw new Error('expected Cluster clients');
    expect(producer.options).toMatchObject({
      enableOfflineQueue: false,
      lazyConnect: true,
      redisOptions: { connectionName: 'api', maxRetriesPerRequest: 1, commandTimeout: 2_000 },
    });
    // BullMQ refuses a blocking connection whose nodes retry a bounded number of times.
    expect(worker.options).toMatchObject({ enableOfflineQueue: true, redisOptions: { maxRetriesPerRequest: null } });
  });

  it('reaches every node of a managed cluster with its credentials over TLS, by host name', () => {
    const { redis } = loadConfig({
      REDIS_CLUSTER_NODES: 'rediss://app:secret@cache-1.example:6379,cache-2.example:6379',
    });
    const client = createRedisClient(redis, 'producer') as Cluster;
    expect(client.options.redisOptions).toMatchObject({ username: 'app', password: 'secret', tls: {} });
    const resolved: string[] = [];
    client.options.dnsLookup?.('cache-1.example', (_error, address) => resolved.push(address));
    expect(resolved).toEqual(['cache-1.example']);
  });

  it('reads IPv6 nodes in brackets', () => {
    expect(parseNode('[::1]:7000')).toEqual({ host: '::1', port: 7000 });
    expect(parseNode('cache-1:6379')).toEqual({ host: 'cache-1', port: 6379 });
  });
});
