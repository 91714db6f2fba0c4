import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { alreadyRunning, isLoopback, type RunningService, spawnService } from './local-service';

const logFile = fileURLToPath(new URL('../../.tmp/redis.log', import.meta.url));
/** Where the Redis that `npm start` starts keeps its append-only file (git-ignored, like Neo4j's ops/neo4j/.data). */
export const defaultRedisDataDir = fileURLToPath(new URL('../../.data/redis', import.meta.url));

/**
 * redis-server's arguments: loopback only, durable through an append-only file in `dataDir` (fsync
 * every second, so a crash loses at most a second; a clean stop loses nothing), no RDB snapshots,
 * and never evicting keys (BullMQ's requirement).
 */
export const redisServerArgs = (hostname: string, port: string, dataDir: string): string[] => [
  '--port',
  port || '6379',
  '--bind',
  hostname,
  '--dir',
  resolve(dataDir),
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--save',
  '',
  '--maxmemory-policy',
  'noeviction',
];

/** Whether a Redis answers PING on `url` (one short-lived connection, no retries). */
export const redisAnswers = async (url: string): Promise<boolean> => {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

/**
 * Makes sure Redis answers on `url`. When nothing does, the URL is on this machine and
 * `redis-server` is installed, starts one for this run that keeps its data (queues, budgets,
 * sequence numbers) in an append-only file under `dataDir`, so a restart loses nothing.
 */
export const ensureRedis = async (url: string, dataDir = defaultRedisDataDir): Promise<RunningService> => {
  if (await redisAnswers(url)) return alreadyRunning('Redis');
  const { hostname, port } = new URL(url);
  if (!isLoopback(hostname)) throw new Error(`Redis does not answer at ${url}; start it or point REDIS_URL elsewhere`);
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      `Redis does not answer at ${url} and redis-server is not installed. Install it (Debian/Ubuntu: ` +
        '`sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL to a running Redis.',
    );
  }
  console.log(`Redis: nothing answers at ${url}, starting redis-server (data in ${dataDir})…`);
  mkdirSync(dataDir, { recursive: true });
  return spawnService({
    name: 'Redis',
    command: 'redis-server',
    args: redisServerArgs(hostname, port, dataDir),
    logFile,
    ready: () => redisAnswers(url),
    timeoutMs: 15_000,
  });
};
