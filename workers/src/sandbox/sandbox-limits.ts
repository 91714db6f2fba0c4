/** What one sandboxed command may use; each limit is enforced by the kernel, not by asking nicely. */
export interface SandboxLimits {
  /** Wall-clock time, then the whole process tree is killed. */
  readonly wallClockMs: number;
  /** CPU seconds (RLIMIT_CPU, per process). */
  readonly cpuSeconds: number;
  /** Memory of the whole tree (memory cgroup); over it the kernel kills it. */
  readonly memoryBytes: number;
  /** Processes and threads of the whole tree at once (pids cgroup): a fork bomb stops here. */
  readonly processes: number;
  /** Bytes kept of stdout and of stderr each; the rest is dropped and `truncated` set. */
  readonly outputBytes: number;
}

export const defaultSandboxLimits: SandboxLimits = {
  wallClockMs: 120_000,
  cpuSeconds: 120,
  memoryBytes: 1024 * 1024 * 1024,
  processes: 256,
  outputBytes: 64 * 1024,
};

/** Which limit ended the command, if one did. */
export type SandboxLimit = 'wall_clock' | 'cpu' | 'memory' | 'processes';

export interface SandboxRun {
  readonly command: readonly string[];
  /** The exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Output beyond `outputBytes` was dropped. */
  readonly truncated: boolean;
  /** The limit that stopped (or, for processes, refused part of) the command; null if none did. */
  readonly limitHit: SandboxLimit | null;
}

/** How the platform runs agents' commands: the limits, and the host folders hidden from them. */
export interface SandboxPolicy {
  readonly limits: Partial<SandboxLimits>;
  readonly hide: readonly string[];
}
