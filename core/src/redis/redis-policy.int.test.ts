import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedisPolicy, RedisPolicyError } from './redis-policy';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const recordingLogger = () => {
  const warnings: { fields: object; message: string }[] = [];
  return { warnings, warn: (fields: object, message: string) => void warnings.push({ fields, message }) };
};

describe('checkRedisPolicy against a throwaway redis-server', () => {
  let server: ChildProcess;
  let url: string;
  let admin: Redis;

  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    // In memory only, on a port of its own: nothing shared is touched.
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    admin = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
    admin.on('error', () => {});
    const deadline = Date.now() + 15_000;
    while ((await admin.ping().catch(() => 'not yet')) !== 'PONG') {
      if (Date.now() > deadline) throw new Error('the throwaway redis-server did not answer within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A user that may do everything but CONFIG, as on managed Redis services.
    await admin.call('ACL', 'SETUSER', 'noconfig', 'on', '>secret', '~*', '&*', '+@all', '-config');
  });

  afterAll(async () => {
    admin?.disconnect();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('warns in development when maxmemory-policy is not noeviction, and starts anyway', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const logger = recordingLogger();
    expect(await checkRedisPolicy(url, { production: false, logger })).toEqual({
      status: 'wrong',
      policy: 'allkeys-lru',
    });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
  });

  it('refuses to start in production when maxmemory-policy is not noeviction', async () => {
    await admin.config('SET', 'maxmemory-policy', 'volatile-ttl');
    const logger = recordingLogger();
    const refusal = checkRedisPolicy(url, { production: true, logger });
    await expect(refusal).rejects.toBeInstanceOf(RedisPolicyError);
    await expect(refusal).rejects.toMatchObject({ policy: 'volatile-ttl', message: /needs "noeviction"/ });
  });

  it('passes silently when maxmemory-policy is noeviction, in production too', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    const logger = recordingLogger();
    expect(await checkRedisPolicy(url, { production: true, logger })).toEqual({ status: 'ok', policy: 'noeviction' });
    expect(logger.warnings).toEqual([]);
  });

  it('warns that it could not check a Redis that forbids CONFIG, without refusing', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const logger = recordingLogger();
    const limited = url.replace('redis://', 'redis://noconfig:secret@');
    const check = await checkRedisPolicy(limited, { production: true, logger });
    expect(check).toMatchObject({ status: 'unchecked', reason: expect.stringMatching(/NOPERM/) });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'could not check that Redis maxmemory-policy is "noeviction"; make sure it is',
    ]);
  });

  it('warns that it could not check a Redis that does not answer', async () => {
    const logger = recordingLogger();
    const check = await checkRedisPolicy(`redis://127.0.0.1:${await freePort()}`, { production: true, logger });
    expect(check.status).toBe('unchecked');
    expect(logger.warnings).toHaveLength(1);
  });
});
