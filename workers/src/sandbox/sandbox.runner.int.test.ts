import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInSandbox } from './sandbox.runner';

/**
 * Escape tests: each hostile command runs in a real bubblewrap sandbox with real cgroups, is contained,
 * and is reported; the test process (standing in for the worker) carries on after each.
 */
describe('a command in the sandbox', () => {
  let workspace: string;
  let outside: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ai-org-ws-'));
    outside = await mkdtemp(join(tmpdir(), 'ai-org-outside-'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });
  const sh = (script: string, limits = {}) =>
    runInSandbox({ workspaceDir: workspace, command: ['/bin/sh', '-c', script], limits });

  it('runs in the workspace, writes there, and reports its exit code and output', async () => {
    const run = await sh('pwd; echo made > out.txt; echo oops >&2; exit 3');
    expect(run).toMatchObject({ exitCode: 3, limitHit: null, truncated: false });
    expect(run.stdout.trim()).toBe(workspace);
    expect(run.stderr.trim()).toBe('oops');
    expect(await readFile(join(workspace, 'out.txt'), 'utf8')).toBe('made\n');
  });

  it('cannot write outside the workspace', async () => {
    const run = await sh(`echo x > '${outside}/escaped'; echo x > /etc/escaped; echo done`);
    expect(run.stderr).toMatch(/Read-only file system/);
    await expect(stat(join(outside, 'escaped'))).rejects.toThrow();
    await expect(stat('/etc/escaped')).rejects.toThrow();
  });

  it('has no network, not even loopback services of the host', async () => {
    const run = await runInSandbox({
      workspaceDir: workspace,
      command: [
        process.execPath,
        '-e',
        "require('net').connect(6379,'127.0.0.1').on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(7)})",
      ],
    });
    expect(run.stdout.trim()).not.toBe('connected');
    expect(run.exitCode).toBe(7);
  });

  it('sees none of the worker’s environment (no secrets)', async () => {
    process.env.AI_ORG_SANDBOX_PROBE_SECRET = 'sk-should-not-leak';
    try {
      const run = await sh('env');
      expect(run.stdout).not.toMatch(/sk-should-not-leak|OPENAI|REDIS_URL/);
    } finally {
      delete process.env.AI_ORG_SANDBOX_PROBE_SECRET;
    }
  });

  it('stops a fork bomb at the process limit and reports it', async () => {
    const run = await runInSandbox({
      workspaceDir: workspace,
      command: ['/bin/bash', '-c', 'bomb() { bomb | bomb & }; bomb; sleep 2; echo survived'],
      limits: { processes: 32, wallClockMs: 5_000 },
    });
    expect(run.limitHit).toBe('processes');
  }, 30_000);

  it('kills an endless loop at the wall clock and reports it', async () => {
    const run = await sh('while :; do :; done', { wallClockMs: 1_500 });
    expect(run).toMatchObject({ limitHit: 'wall_clock', exitCode: null, signal: 'SIGKILL' });
  }, 30_000);

  it('kills a process over its CPU time and reports it', async () => {
    const run = await sh('while :; do :; done', { cpuSeconds: 1, wallClockMs: 20_000 });
    expect(run.limitHit).toBe('cpu');
  }, 30_000);

  it('kills a memory hog at the memory limit and reports it', async () => {
    const run = await runInSandbox({
      workspaceDir: workspace,
      command: ['python3', '-c', 'a = bytearray(400 * 1024 * 1024); print(len(a))'],
      limits: { memoryBytes: 64 * 1024 * 1024 },
    });
    expect(run.limitHit).toBe('memory');
    expect(run.stdout).not.toMatch(/419430400/);
  }, 30_000);

  it('keeps only the first bytes of a flood of output', async () => {
    const run = await sh('yes flood | head -c 1000000', { outputBytes: 1_000 });
    expect(run.stdout).toHaveLength(1_000);
    expect(run.truncated).toBe(true);
  });

  it('leaves the worker able to run the next command after all of that', async () => {
    expect((await sh('echo fine')).stdout.trim()).toBe('fine');
  });
});
