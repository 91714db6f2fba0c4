import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ensureRedis } from './redis.service';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('ensureRedis', () => {
  it('starts redis-server when nothing answers on a local URL, and stops it again', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const service = await ensureRedis(url);
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

  it('leaves a Redis that already answers alone', async () => {
    const service = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    expect(service.startedHere).toBe(false);
  });
});
