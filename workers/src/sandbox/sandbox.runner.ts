import { spawn } from 'node:child_process';
import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { boundedOutput } from './bounded-output';
import { createRunCgroup } from './run-cgroup';
import { defaultSandboxLimits, type SandboxLimits, type SandboxRun } from './sandbox-limits';

export interface SandboxCommand {
  /** The only writable place inside; the command runs there. */
  readonly workspaceDir: string;
  /** The program and its arguments (no shell unless you name one). */
  readonly command: readonly string[];
  readonly limits?: Partial<SandboxLimits>;
  /** Environment inside the sandbox; nothing of the worker's own is passed (no secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Host folders the command must not even read (other workspaces, the platform's own folder with its
   * .env): each is covered by an empty tmpfs. The workspace stays visible even when it lies inside one.
   */
  readonly hide?: readonly string[];
}

/** The PATH and HOME a sandboxed command gets unless told otherwise. */
const baseEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8', CI: 'true' };

/**
 * bubblewrap's view of the machine: everything read-only, the workspace writable but for its `.git`, a
 * private /tmp, /dev and /proc, no network (its own empty network namespace), its own PID namespace
 * (killing bwrap ends every process in it), and a new session (no terminal to inject into).
 */
// biome-ignore format: one flag and its value per line
const bwrapArgs = (workspace: string, gitEntry: string | null, hidden: readonly string[]): string[] => [
  '--ro-bind', '/', '/',
  '--dev', '/dev',
  '--proc', '/proc',
  '--tmpfs', '/tmp',
  ...hidden.flatMap((path) => ['--tmpfs', path]),
  '--bind', workspace, workspace,
  // The host's git runs in this folder after the command (commitAll): a `.git` the command made or
  // changed could point it at a config of its choosing (core.fsmonitor runs a command, on the host).
  ...(gitEntry === null ? [] : ['--ro-bind', gitEntry, gitEntry]),
  '--chdir', workspace,
  '--unshare-net',
  '--unshare-pid',
  '--unshare-ipc',
  '--unshare-uts',
  '--die-with-parent',
  '--new-session',
  '--',
];

/**
 * Runs one command (tests, lint) of an agent's workspace in a sandbox: Debian's bubblewrap for the view
 * of the machine, a pids and a memory cgroup for the whole process tree, RLIMIT_CPU for CPU time, and a
 * wall clock after which the tree is killed. Never throws for what the command does; the run record says
 * how it ended and which limit, if any, stopped it. Needs `bwrap` and writable cgroups (v1) — as root.
 */
export const runInSandbox = async (request: SandboxCommand): Promise<SandboxRun> => {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const workspace = await realpath(request.workspaceDir);
  // A worktree's `.git` (a file naming its repository) is kept read-only; a folder without one (the gate's
  // export) may get one, but no git of the host ever runs there.
  const gitEntry = join(workspace, '.git');
  const hasGit = await lstat(gitEntry).then(
    (entry) => entry.isFile() || entry.isDirectory(),
    () => false,
  );
  // Only folders that exist can be covered (bwrap cannot create a mount point on the read-only root).
  const hidden = (await Promise.all((request.hide ?? []).map((path) => realpath(path).catch(() => null)))).filter(
    (path): path is string => path !== null && path !== '/' && !path.startsWith('/tmp/'),
  );
  const cgroup = await createRunCgroup(limits);
  const startedAt = performance.now();
  try {
    // The shell joins the cgroups first, then becomes prlimit, which becomes bwrap: every descendant is in.
    const join = cgroup.procsFiles.map((file) => `echo $$ > '${file}'`).join(' && ');
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `${join} && exec "$@"`,
        'sandbox',
        'prlimit',
        // Soft limit: SIGXCPU (reported as such); one second later the hard limit's SIGKILL.
        `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
        '--core=0',
        '--',
        'bwrap',
        ...bwrapArgs(workspace, hasGit ? gitEntry : null, hidden),
        ...request.command,
      ],
      { env: { ...baseEnv, ...request.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const stdout = boundedOutput(child.stdout, limits.outputBytes);
    const stderr = boundedOutput(child.stderr, limits.outputBytes);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, limits.wallClockMs);
    const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('error', () => resolve({ code: null, signal: null }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    const hit = await cgroup.limitsHit();
    // bwrap reports its command's death by signal as exit 128 + n; SIGXCPU (24) is RLIMIT_CPU's.
    const cpu = ended.code === 128 + 24 || ended.signal === 'SIGXCPU';
    return {
      command: request.command,
      exitCode: ended.code,
      signal: ended.signal,
      durationMs: Math.round(performance.now() - startedAt),
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated() || stderr.truncated(),
      // The most telling first: a fork bomb also runs out the clock, but the process limit is what held it.
      limitHit: hit.memory ? 'memory' : hit.processes ? 'processes' : cpu ? 'cpu' : timedOut ? 'wall_clock' : null,
    };
  } finally {
    await cgroup.destroy();
  }
};
