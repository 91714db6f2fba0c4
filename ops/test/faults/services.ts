import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { neo4jAnswers } from '../../dev/neo4j.service';
import { redisAnswers, redisServerArgs } from '../../dev/redis.service';

const launcher = fileURLToPath(new URL('../../neo4j/run.sh', import.meta.url));

/**
 * The fault suite's own Redis and Neo4j: loopback ports of their own and data under one temporary
 * folder, never the shared instances other tests use (these are killed and restarted). The state
 * file names them for every test file and for the global teardown, whichever process started them.
 */
export interface FaultServices {
  readonly dir: string;
  readonly redis: { readonly port: number; readonly dataDir: string; pid: number };
  readonly neo4j: { readonly port: number; readonly homeDir: string; pid: number };
}

export const redisUrlOf = (services: FaultServices) => `redis://127.0.0.1:${services.redis.port}`;
export const neo4jUriOf = (services: FaultServices) => `bolt://127.0.0.1:${services.neo4j.port}`;
export const neo4jOptionsOf = (services: FaultServices) => ({
  uri: neo4jUriOf(services),
  user: 'neo4j',
  password: 'unused',
});

const stateFile = (dir: string) => join(dir, 'services.json');
export const readServices = (dir: string): FaultServices => JSON.parse(readFileSync(stateFile(dir), 'utf8'));
export const writeServices = (services: FaultServices): void =>
  writeFileSync(stateFile(services.dir), JSON.stringify(services));

const poll = async (what: string, ready: () => Promise<boolean>, timeoutMs: number, pid: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (!alive(pid)) throw new Error(`${what} exited before it answered`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends `signal` to `pid` and resolves once the process is gone. */
export const killPid = async (pid: number, signal: NodeJS.Signals, timeoutMs = 60_000): Promise<void> => {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not end within ${timeoutMs} ms of ${signal}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A detached child that outlives the test file that started it; its pid goes in the state file. */
const spawnDetached = (command: string, args: string[], logFile: string, env: Record<string, string> = {}) => {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return child.pid;
};

/** Starts (or starts again, replaying its append-only file) the private Redis, with the project's settings. */
export const startRedis = async (services: FaultServices): Promise<void> => {
  mkdirSync(services.redis.dataDir, { recursive: true });
  const args = redisServerArgs('127.0.0.1', String(services.redis.port), services.redis.dataDir);
  services.redis.pid = spawnDetached('redis-server', args, join(services.dir, 'redis.log'));
  writeServices(services);
  await poll('Redis', () => redisAnswers(redisUrlOf(services)), 15_000, services.redis.pid);
};

/** Starts (or starts again, recovering its store) the private Neo4j from the project's launcher. */
export const startNeo4j = async (services: FaultServices): Promise<void> => {
  mkdirSync(services.neo4j.homeDir, { recursive: true });
  services.neo4j.pid = spawnDetached('bash', [launcher], join(services.neo4j.homeDir, 'launcher.log'), {
    NEO4J_BOLT_LISTEN: `127.0.0.1:${services.neo4j.port}`,
    NEO4J_HOME_DIR: services.neo4j.homeDir,
    NEO4J_HEAP: '384m',
    NEO4J_PAGECACHE: '32m',
  });
  writeServices(services);
  await poll('Neo4j', () => neo4jAnswers(neo4jOptionsOf(services)), 180_000, services.neo4j.pid);
};
