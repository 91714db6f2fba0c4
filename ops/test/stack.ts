import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ai-org/testing';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The processes `npm start` runs (API, role workers, orchestrator), each with its metrics port. */
const entries = {
  api: 'server/src/main.ts',
  workers: 'workers/src/main.ts',
  orchestrator: 'workers/src/orchestrator.main.ts',
} as const;
export type StackProcess = keyof typeof entries;

export interface RunningStack {
  readonly apiUrl: string;
  /** `host:port` of each process's metrics listener, by Prometheus job name. */
  readonly metricsTargets: Record<StackProcess, string>;
  /** Everything each process printed so far (stdout and stderr). */
  output(process: StackProcess): string;
  /** Sends `signal` to one process and resolves with how it ended (fault tests: SIGKILL, SIGTERM). */
  kill(process: StackProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
  /** Starts one process again (after `kill`) with the same environment and ports; waits until it answers. */
  restart(process: StackProcess): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How long the three processes (started together) get to answer on their metrics ports: each is up in
 * a few seconds (tsx compiling the entry point, connecting to Neo4j and Redis); the observability
 * suite's 120 s setup leaves room for this, Prometheus's start and its first scrapes.
 */
const startupDeadlineMs = 30_000;
const startupPollIntervalMs = 100;

const waitUntilUp = async (
  url: string,
  child: ChildProcess,
  name: string,
  output: () => string,
  deadline: number,
  deadlineMs = startupDeadlineMs,
) => {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${output()}`);
    const up = await fetch(url).then(
      (response) => response.status < 500,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline)
      throw new Error(`${name} did not answer on ${url} within ${deadlineMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, startupPollIntervalMs));
  }
};

/**
 * Starts the platform's three processes from their entry points, as `npm start` does, on free ports
 * against the real Neo4j and Redis, and waits until each answers on its metrics port.
 */
export const startStack = async (
  env: Record<string, string>,
  /** A longer start-up deadline, for a suite that starts the stack on a busy machine. */
  { startupDeadline = startupDeadlineMs }: { readonly startupDeadline?: number } = {},
): Promise<RunningStack> => {
  const ports = {
    api: await freePort(),
    apiMetrics: await freePort(),
    workers: await freePort(),
    orchestrator: await freePort(),
  };
  const stackEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    PORT: String(ports.api),
    METRICS_PORT: String(ports.apiMetrics),
    WORKER_METRICS_PORT: String(ports.workers),
    ORCHESTRATOR_METRICS_PORT: String(ports.orchestrator),
    // Every test calls from 127.0.0.1 and shares one Redis; the limits have their own tests (server/test/limits).
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_MINUTE: '1000000',
    MAX_SOCKETS_PER_TENANT: '100000',
    TENANT_MAX_CONCURRENT_OPERATIONS: '100000',
    ...env,
  };
  const outputs: Record<StackProcess, string> = { api: '', workers: '', orchestrator: '' };
  const children = new Map<StackProcess, ChildProcess>();
  const spawnProcess = (name: StackProcess) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entries[name]], {
      cwd: repoRoot,
      env: stackEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (outputs[name] += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (outputs[name] += chunk.toString()));
    children.set(name, child);
    return child;
  };
  for (const name of Object.keys(entries) as StackProcess[]) spawnProcess(name);
  const metricsTargets: Record<StackProcess, string> = {
    api: `127.0.0.1:${ports.apiMetrics}`,
    workers: `127.0.0.1:${ports.workers}`,
    orchestrator: `127.0.0.1:${ports.orchestrator}`,
  };
  const stop = async () => {
    const running = [...children.values()].filter((child) => child.exitCode === null && child.signalCode === null);
    for (const child of running) child.kill('SIGTERM');
    await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  };
  try {
    const deadline = Date.now() + startupDeadline;
    for (const [name, child] of children) {
      const url = `http://${metricsTargets[name]}/metrics`;
      await waitUntilUp(url, child, name, () => outputs[name], deadline, startupDeadline);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl: `http://127.0.0.1:${ports.api}`,
    metricsTargets,
    output: (name) => outputs[name],
    kill: (name, signal) => {
      const child = children.get(name) as ChildProcess;
      const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
          resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      child.kill(signal);
      return ended;
    },
    restart: async (name) => {
      const child = spawnProcess(name);
      await waitUntilUp(
        `http://${metricsTargets[name]}/metrics`,
        child,
        name,
        () => outputs[name],
        Date.now() + startupDeadline,
        startupDeadline,
      );
    },
    stop,
  };
};
