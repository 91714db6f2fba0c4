import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config';
import { parseRedisClusterNodes } from './redis-cluster-nodes';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
};

describe('REDIS_CLUSTER_NODES', () => {
  it('is unset by default: the processes use REDIS_URL', () => {
    expect(loadConfig({}).redis.clusterNodes).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: ' ' }).redis.clusterNodes).toBeUndefined();
  });

  it('reads a comma-separated host:port list, IPv6 hosts in brackets, without credentials or TLS', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-2:7001,[::1]:7002,' });
    expect(config.redis.clusterNodes).toEqual(['10.0.0.1:7000', 'redis-2:7001', '[::1]:7002']);
    expect(config.redis.clusterAuth).toEqual({ username: undefined, password: undefined, tls: false });
  });

  it('takes credentials and TLS from the URL form of the first node for every node', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'rediss://app:p%40ss@cache-1:6379,cache-2:6379' });
    expect(config.redis.clusterNodes).toEqual(['cache-1:6379', 'cache-2:6379']);
    expect(config.redis.clusterAuth).toEqual({ username: 'app', password: 'p@ss', tls: true });
  });

  it('keeps the cluster password out of the redacted config and counts node ports as our own', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis://:pw@127.0.0.1:7100,127.0.0.1:7101' });
    expect(redactConfig(config).redis.clusterAuth.password).toBe('***');
    expect(config.notifications.ownServicePorts).toEqual(expect.arrayContaining([7100, 7101]));
  });

  it('refuses entries that are not host:port, naming each, and hides credentials in the message', () => {
    const problems = problemsOf({ REDIS_CLUSTER_NODES: 'cache-1,rediss://u:secret@cache-2,10.0.0.1:99999' });
    expect(problems).toHaveLength(3);
    expect(problems.every((problem) => problem.startsWith('REDIS_CLUSTER_NODES: '))).toBe(true);
    expect(problems.join('\n')).toContain('"cache-1" is not host:port');
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('refuses nodes that disagree on scheme or credentials, and a database other than 0', () => {
    expect(parseRedisClusterNodes('redis://a:1@h1:1,rediss://a:1@h2:2')).toEqual({
      problems: [expect.stringContaining('another scheme or other credentials')],
    });
    expect(parseRedisClusterNodes('redis://h1:6379/3')).toEqual({
      problems: [expect.stringContaining('only database 0')],
    });
    expect(parseRedisClusterNodes(',')).toEqual({ problems: [expect.stringContaining('names no node')] });
  });
});
