import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ApiProcessRequest = { readonly type: 'memory' } | { readonly type: 'stop' };
export type ApiProcessReply =
  | { readonly type: 'ready'; readonly url: string; readonly graphqlUrl: string; readonly wsUrl: string }
  | { readonly type: 'memory'; readonly heapUsed: number; readonly rss: number };

export interface ApiProcess {
  readonly graphqlUrl: string;
  readonly wsUrl: string;
  /** The API process's heap in use and resident set, in bytes, after a full GC. */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  stop(): Promise<void>;
}

const mainFile = fileURLToPath(new URL('./api-process.main.ts', import.meta.url));

const nextReply = <T extends ApiProcessReply['type']>(child: ChildProcess, type: T) =>
  new Promise<Extract<ApiProcessReply, { type: T }>>((resolve, reject) => {
    const onMessage = (reply: ApiProcessReply) => {
      if (reply.type !== type) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(reply as Extract<ApiProcessReply, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the API process exited (${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

/**
 * Starts the real API (`buildApp`) in a child process with `env` on top of this process's environment;
 * with `cpuProfileDir`, the process writes a V8 CPU profile there when it stops (to find where time goes).
 */
export const startApiProcess = async (
  env: Readonly<Record<string, string>>,
  { cpuProfileDir }: { readonly cpuProfileDir?: string | undefined } = {},
): Promise<ApiProcess> => {
  const child = fork(mainFile, [], {
    env: { ...process.env, ...env },
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready');
  const request = (message: ApiProcessRequest) => child.send(message);
  return {
    graphqlUrl: ready.graphqlUrl,
    wsUrl: ready.wsUrl,
    async memory() {
      const reply = nextReply(child, 'memory');
      request({ type: 'memory' });
      const { heapUsed, rss } = await reply;
      return { heapUsed, rss };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      request({ type: 'stop' });
      await exited;
    },
  };
};
