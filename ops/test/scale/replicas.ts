import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ai-org/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The entry point of each kind of process `npm start` runs. */
const entries = {
  api: 'server/src/main.ts',
  workers: 'workers/src/main.ts',
  orchestrator: 'workers/src/orchestrator.main.ts',
} as const;
export type ReplicaKind = keyof typeof entries;

/** How many replicas of each kind; they are named `api-1`, `api-2`, `workers-1`, … */
export type ReplicaCounts = Readonly<Record<ReplicaKind, number>>;

export interface Replicas {
  /** Every replica's name, in start order. */
  readonly names: readonly string[];
  /** The names of one kind's replicas. */
  of(kind: ReplicaKind): string[];
  /** The HTTP URL of an API replica. */
  apiUrl(name: string): string;
  /** The end of what a replica printed (stdout and stderr), across its restarts. */
  output(name: string): string;
  /** Whether a replica's process is alive (it may still be starting). */
  isRunning(name: string): boolean;
  /** Sends `signal` to one replica and resolves with how it ended. */
  kill(name: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
  /** Starts a killed replica again with the same environment and ports; resolves once it answers. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Enough of each replica's output to explain a failure, without keeping a whole run's logs. */
const outputTailChars = 200_000;
const pollIntervalMs = 200;

interface Replica {
  readonly kind: ReplicaKind;
  readonly env: NodeJS.ProcessEnv;
  /** Where it answers once started: the API's own port, or the metrics port of the others. */
  readonly readyUrl: string;
  readonly apiUrl: string;
  child?: ChildProcess;
  output: string;
}

const portsEnv = async () => ({
  PORT: String(await freePort()),
  METRICS_PORT: String(await freePort()),
  WORKER_METRICS_PORT: String(await freePort()),
  ORCHESTRATOR_METRICS_PORT: String(await freePort()),
});

const readyUrlOf = (kind: ReplicaKind, ports: Awaited<ReturnType<typeof portsEnv>>): string => {
  switch (kind) {
    case 'api':
      return `http://127.0.0.1:${ports.PORT}/`;
    case 'workers':
      return `http://127.0.0.1:${ports.WORKER_METRICS_PORT}/metrics`;
    case 'orchestrator':
      return `http://127.0.0.1:${ports.ORCHESTRATOR_METRICS_PORT}/metrics`;
  }
};

const ended = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Several replicas of each of the platform's processes, started from their entry points as real child
 * processes (as ops/test/stack.ts starts one of each), every one with ports of its own and `env` on
 * top of the test's environment.
 */
export const startReplicas = async (
  counts: ReplicaCounts,
  env: Record<string, string>,
  /** Seven tsx processes compiling at once on a small, busy machine take a while. */
  { startupDeadlineMs = 180_000 }: { readonly startupDeadlineMs?: number } = {},
): Promise<Replicas> => {
  const replicas = new Map<string, Replica>();
  const spawnReplica = (replica: Replica): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', entries[replica.kind]], {
      cwd: repoRoot,
      env: replica.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      replica.output = (replica.output + chunk.toString()).slice(-outputTailChars);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    replica.child = child;
    return child;
  };
  const childOf = (replica: Replica): ChildProcess => {
    if (!replica.child) throw new Error('replica never started');
    return replica.child;
  };
  // A test runner that dies without its afterAll must not leave seven processes behind.
  const killAll = () => {
    for (const replica of replicas.values()) if (replica.child && !ended(replica.child)) replica.child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const waitUntilUp = async (name: string, deadline: number) => {
    const replica = replicas.get(name) as Replica;
    for (;;) {
      if (ended(childOf(replica))) throw new Error(`${name} exited at start:\n${replica.output}`);
      const up = await fetch(replica.readyUrl).then(
        (response) => response.status < 500,
        () => false,
      );
      if (up) return;
      if (Date.now() > deadline) throw new Error(`${name} did not answer on ${replica.readyUrl}:\n${replica.output}`);
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  };
  const stop = async () => {
    process.off('exit', killAll);
    const running = [...replicas.values()].map(childOf).filter((child) => !ended(child));
    const exits = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of running) child.kill('SIGTERM');
    // A replica stuck in its shutdown is killed: the run is over either way.
    const killer = setTimeout(killAll, 15_000);
    await Promise.all(exits);
    clearTimeout(killer);
  };

  for (const kind of Object.keys(entries) as ReplicaKind[]) {
    for (let i = 1; i <= counts[kind]; i += 1) {
      const ports = await portsEnv();
      const replicaEnv = { ...process.env, ...env, ...ports };
      const replica: Replica = {
        kind,
        env: replicaEnv,
        readyUrl: readyUrlOf(kind, ports),
        apiUrl: `http://127.0.0.1:${ports.PORT}`,
        output: '',
      };
      replicas.set(`${kind}-${i}`, replica);
      spawnReplica(replica);
    }
  }
  try {
    const deadline = Date.now() + startupDeadlineMs;
    for (const name of replicas.keys()) await waitUntilUp(name, deadline);
  } catch (error) {
    await stop();
    throw error;
  }

  const get = (name: string): Replica => {
    const replica = replicas.get(name);
    if (!replica) throw new Error(`no replica ${name}`);
    return replica;
  };
  return {
    names: [...replicas.keys()],
    of: (kind) => [...replicas].filter(([, replica]) => replica.kind === kind).map(([name]) => name),
    apiUrl: (name) => get(name).apiUrl,
    output: (name) => get(name).output,
    isRunning: (name) => !ended(childOf(get(name))),
    kill: (name, signal) => {
      const child = childOf(get(name));
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        if (ended(child)) resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once('exit', (code, signalCode) => resolve({ code, signal: signalCode }));
      });
      child.kill(signal);
      return exited;
    },
    restart: async (name) => {
      const replica = get(name);
      if (!ended(childOf(replica))) throw new Error(`${name} is still running`);
      spawnReplica(replica);
      await waitUntilUp(name, Date.now() + startupDeadlineMs);
    },
    stop,
  };
};
