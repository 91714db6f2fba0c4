import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRedisDataDir, ensureRedis, redisServerArgs } from './redis.service';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const connectTo = async (url: string): Promise<Redis> => {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  await client.connect();
  return client;
};

describe('ensureRedis', () => {
  // Redis instances started here keep their files in a temporary folder, never in the shared .data/redis.
  const dataDirs: string[] = [];
  const tempDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai-org-redis-test-'));
    dataDirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts redis-server when nothing answers on a local URL, and stops it again', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const service = await ensureRedis(url, tempDataDir());
    expect(service.startedHere).toBe(true);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();

    await service.stop();
    const again = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    again.on('error', () => {});
    await expect(again.connect()).rejects.toThrow();
    again.disconnect();
  });

  it('keeps what was written across a stop and a start on the same data folder (append-only file)', async () => {
    const dataDir = tempDataDir();
    const url = `redis://127.0.0.1:${await freePort()}`;
    const first = await ensureRedis(url, dataDir);
    expect(first.startedHere).toBe(true);
    const writer = await connectTo(url);
    try {
      await writer.hset('budget:{durable}', 'left_micro_usd', '1234');
      await writer.incr('events:seq:durable');
      expect(await writer.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await writer.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      writer.disconnect();
    }
    await first.stop(); // SIGTERM: Redis flushes the append-only file and exits

    const second = await ensureRedis(url, dataDir);
    expect(second.startedHere).toBe(true);
    const reader = await connectTo(url);
    try {
      expect(await reader.hget('budget:{durable}', 'left_micro_usd')).toBe('1234');
      expect(await reader.get('events:seq:durable')).toBe('1');
    } finally {
      reader.disconnect();
      await second.stop();
    }
  });

  it('gives redis-server an absolute data folder, append-only every second, and no eviction', () => {
    const args = redisServerArgs('127.0.0.1', '6380', 'relative/redis');
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('--dir')).toMatch(/^\/.*relative\/redis$/);
    expect(value('--appendonly')).toBe('yes');
    expect(value('--appendfsync')).toBe('everysec');
    expect(value('--maxmemory-policy')).toBe('noeviction');
    expect(value('--port')).toBe('6380');
    expect(defaultRedisDataDir).toMatch(/\/\.data\/redis$/);
  });

  it('leaves a Redis that already answers alone', async () => {
    const service = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    expect(service.startedHere).toBe(false);
  });
});
