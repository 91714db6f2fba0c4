import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRedisClient, type RedisClient } from '@ai-org/core';
import { freePort } from './free-port';

export interface RedisClusterHandle {
  /** `127.0.0.1:<port>` of every master. */
  readonly nodes: string[];
  /** Kills the servers and removes their folder. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const untilTrue = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
};

const stopServer = async (server: ChildProcess): Promise<void> => {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const killer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
};

/**
 * Starts a real Redis Cluster of `masters` (at least three) masters without replicas from the
 * installed `redis-server`, on free loopback ports, in memory only (its node files in a temporary
 * folder), and waits until every node reports `cluster_state:ok`.
 */
export const startRedisCluster = async ({ masters = 3 } = {}): Promise<RedisClusterHandle> => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-org-redis-cluster-'));
  const servers: ChildProcess[] = [];
  const clients: RedisClient[] = [];
  // A test runner that dies without afterAll must not leave servers behind.
  const killAll = () => {
    for (const server of servers) server.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const stop = async () => {
    process.off('exit', killAll);
    for (const client of clients) client.disconnect();
    await Promise.all(servers.map(stopServer));
    rmSync(dir, { recursive: true, force: true });
  };
  const ports: number[] = [];
  try {
    for (let i = 0; i < masters; i += 1) {
      // The cluster bus port is named too: the default (port + 10,000) may be taken, or beyond 65,535.
      const [port, busPort] = [await freePort(), await freePort()];
      ports.push(port);
      servers.push(
        spawn(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
            ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
            ...['--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '5000'],
            ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
            ...['--logfile', join(dir, `redis-${port}.log`)],
          ],
          { stdio: 'ignore' },
        ),
      );
      const client = createRedisClient(`redis://127.0.0.1:${port}`, 'worker', 'test-cluster-setup');
      client.on('error', () => {});
      clients.push(client);
    }
    await Promise.all(
      clients.map((client, i) =>
        untilTrue(`node ${ports[i]} answering`, async () => (await client.ping()) === 'PONG', 15_000),
      ),
    );
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 60_000,
    });
    await Promise.all(
      clients.map((client, i) =>
        untilTrue(`cluster_state:ok on ${ports[i]}`, async () =>
          String(await client.cluster('INFO')).includes('cluster_state:ok'),
        ),
      ),
    );
    return { nodes, stop };
  } catch (error) {
    const logs = ports.map((port) => {
      try {
        return `--- redis-${port}.log\n${readFileSync(join(dir, `redis-${port}.log`), 'utf8').slice(-2_000)}`;
      } catch {
        return `--- redis-${port}.log: none`;
      }
    });
    await stop();
    throw new Error(`could not start a Redis Cluster: ${String(error)}\n${logs.join('\n')}`, { cause: error });
  }
};
