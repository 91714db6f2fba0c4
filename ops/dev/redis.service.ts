import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { alreadyRunning, isLoopback, type RunningService, spawnService } from './local-service';

const logFile = fileURLToPath(new URL('../../.tmp/redis.log', import.meta.url));

const answers = async (url: string): Promise<boolean> => {
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
 * `redis-server` is installed, starts one (in memory only) for this run.
 */
export const ensureRedis = async (url: string): Promise<RunningService> => {
  if (await answers(url)) return alreadyRunning('Redis');
  const { hostname, port } = new URL(url);
  if (!isLoopback(hostname)) throw new Error(`Redis does not answer at ${url}; start it or point REDIS_URL elsewhere`);
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      `Redis does not answer at ${url} and redis-server is not installed. Install it (Debian/Ubuntu: ` +
        '`sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL to a running Redis.',
    );
  }
  console.log(`Redis: nothing answers at ${url}, starting redis-server…`);
  return spawnService({
    name: 'Redis',
    command: 'redis-server',
    args: ['--port', port || '6379', '--bind', hostname, '--save', '', '--appendonly', 'no'],
    logFile,
    ready: () => answers(url),
    timeoutMs: 15_000,
  });
};
