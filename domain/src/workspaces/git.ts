import { execFile, spawn } from 'node:child_process';
import path from 'node:path';

/** Commits made in workspaces are the agents'; no person's identity or machine config is used. */
export const gitAuthor = { name: 'AI-Org agent', email: 'agents@ai-org.invalid' } as const;

export const gitTimeoutMs = 60_000;
const defaultMaxBuffer = 64 * 1024 * 1024;

/**
 * A fixed environment: nothing inherited but PATH, so neither the machine's git config, a stray GIT_DIR
 * nor the user's global ignore or attributes files can change what a command does.
 */
const gitEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  HOME: '/nonexistent',
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: gitAuthor.name,
  GIT_AUTHOR_EMAIL: gitAuthor.email,
  GIT_COMMITTER_NAME: gitAuthor.name,
  GIT_COMMITTER_EMAIL: gitAuthor.email,
};

/** Git never looks for a repository above the folder it runs in (a workspace inside another checkout stays apart). */
const envFor = (cwd: string): NodeJS.ProcessEnv => ({
  ...gitEnv,
  GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(cwd)),
});

/** Settings every command runs with: no hooks, no signing, no line-ending or path-quoting surprises. */
const fixedConfig = [
  'core.hooksPath=/dev/null',
  // A config an agent's code planted (a nested repository's) could name a program for git to run.
  'core.fsmonitor=false',
  'core.excludesFile=/dev/null',
  'core.attributesFile=/dev/null',
  'core.autocrlf=false',
  'core.quotePath=false',
  'commit.gpgsign=false',
  'tag.gpgsign=false',
  'gc.autoDetach=false',
  'advice.detachedHead=false',
  'init.defaultBranch=main',
  'safe.directory=*',
].flatMap((setting) => ['-c', setting]);

/** A git command that failed: its exit code (null when killed), signal and stderr. */
export class GitError extends Error {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly args: readonly string[];

  constructor(args: readonly string[], exitCode: number | null, signal: string | null, stderr: string) {
    const why = signal ? `was killed (${signal})` : `exited with ${exitCode}`;
    super(`git ${args[0] ?? ''} ${why}: ${stderr.trim().slice(0, 2000)}`);
    this.name = 'GitError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderr = stderr;
    this.args = args;
  }
}

export const isGitError = (error: unknown): error is GitError => error instanceof GitError;

/** True when git failed because another process held one of its lock files (index, ref, worktree). */
export const isGitLockError = (error: unknown): boolean =>
  isGitError(error) && /\.lock'?: File exists|index\.lock|Unable to create .*\.lock|is locked/i.test(error.stderr);

export interface RunGitOptions {
  readonly cwd: string;
  /** Written to the command's stdin. */
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  readonly maxBuffer?: number;
  /** Exit codes besides 0 that are answers, not failures (`merge-tree` exits 1 on a conflict). */
  readonly okExitCodes?: readonly number[];
}

export interface GitOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `git <args>` without a shell; rejects with GitError on a non-zero exit, a timeout or too much output. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...fixedConfig, ...args],
      {
        cwd: options.cwd,
        env: envFor(options.cwd),
        timeout: options.timeoutMs ?? gitTimeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? defaultMaxBuffer,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr, exitCode: 0 });
        const code = typeof error.code === 'number' ? error.code : null;
        if (code !== null && !error.killed && options.okExitCodes?.includes(code)) {
          return resolve({ stdout, stderr, exitCode: code });
        }
        const detail = typeof error.code === 'string' ? `${error.code} ${stderr}` : stderr;
        reject(new GitError(args, code, error.signal ?? null, detail || error.message));
      },
    );
    child.stdin?.on('error', () => {}); // the command may exit before reading all of its input
    child.stdin?.end(options.input ?? '');
  });
}

export interface GitHead {
  readonly bytes: Buffer;
  /** The command wrote more than `limit` bytes; only the first `limit` are kept. */
  readonly truncated: boolean;
}

/** Runs a command and keeps only the first `limit` bytes of its output, stopping it once it has written more. */
export function readGitHead(args: readonly string[], options: { cwd: string; limit: number }): Promise<GitHead> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...fixedConfig, ...args], {
      cwd: options.cwd,
      env: envFor(options.cwd),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), gitTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > options.limit) {
        truncated = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitError(args, null, null, error.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      if (truncated) return resolve({ bytes: bytes.subarray(0, options.limit), truncated });
      if (code !== 0) return reject(new GitError(args, code, signal, stderr));
      resolve({ bytes, truncated: false });
    });
  });
}
