import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoalRepository, type TestRunRecord, WorkspaceRepository } from '@ai-org/schema';
import {
  type FakeChatRequest,
  type FakeLlmServer,
  type ScriptedStep,
  scriptedToolAgent,
  startFakeLlmServer,
} from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiProvider } from '../src/llm';

/**
 * Escape attempts through the path an agent's code really takes: a scripted agent writes a project whose
 * `npm test` does the hostile thing, runs it with `run_tests`, then calls `finish` and the merge gate runs
 * it again on the merge result. Each is contained by the sandbox, recorded as a TestRun with how it ended,
 * fails its task at the gate with nothing merged — and the same running workers then do a normal task.
 * The sandbox limits are made small so the hostile runs end in seconds.
 */
describe('hostile tests an agent writes and runs', () => {
  /** Unique per run: names the host paths an escape would leave and the processes a fork bomb starts. */
  const marker = `ai-org-escape-${randomBytes(6).toString('hex')}`;
  /** A host folder outside /tmp (the sandbox's /tmp is a private tmpfs, so a write there proves nothing). */
  const hostDir = import.meta.dirname;
  /** Where a host-side command planted through the worktree's `.git` would leave its mark. */
  const gitHookMark = join(tmpdir(), `${marker}-git-hook`);
  let llm: FakeLlmServer;
  let h: Harness;
  let root: string;
  const records = () => new WorkspaceRepository(h.bolt, h.config.neo4j.database);

  const pkg = JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { test: 'node --test' } });
  const header = "const test = require('node:test');\nconst assert = require('node:assert/strict');\n";

  /** Each test file "passes" only if its escape worked: contained, it fails, and the gate refuses it. */
  const probes = {
    network: `${header}const net = require('node:net');
const redis = () => new Promise((resolve) => {
  const socket = net.connect(6379, '127.0.0.1');
  socket.setTimeout(2000, () => { socket.destroy(); resolve('ETIMEDOUT'); });
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (error) => resolve(error.code));
});
const web = () => fetch('http://example.com', { signal: AbortSignal.timeout(2000) })
  .then(() => 'connected', (error) => error.cause?.code ?? error.name);
test('reaches the network', async () => {
  const found = { redis: await redis(), web: await web() };
  console.log('network probe: ' + JSON.stringify(found));
  assert.deepEqual(found, { redis: 'connected', web: 'connected' });
});
`,
    write: `${header}const fs = require('node:fs');
const targets = ${JSON.stringify({
      tmp: `/tmp/${marker}`,
      workspaceRoot: '__ROOT__',
      repo: join(hostDir, marker),
      etc: `/etc/${marker}`,
    })};
test('writes outside the workspace', () => {
  const found = {};
  for (const [name, file] of Object.entries(targets)) {
    try { fs.writeFileSync(file, 'escaped'); found[name] = 'written'; } catch (error) { found[name] = error.code; }
  }
  try { fs.readFileSync(${JSON.stringify(join(hostDir, '..', 'package.json'))}); found.readPlatform = 'read'; } catch (error) { found.readPlatform = error.code; }
  console.log('write probe: ' + JSON.stringify(found));
  assert.ok(Object.values(found).every((result) => result === 'written'));
});
`,
    fork: `${header}const { spawn } = require('node:child_process');
test('forks without end', async () => {
  let started = 0;
  let refused = 0;
  for (let i = 0; i < 1000; i += 1) {
    try {
      spawn('/bin/sh', ['-c', 'sleep 30', '${marker}'], { stdio: 'ignore' }).on('error', () => { refused += 1; }).unref();
      started += 1;
    } catch { refused += 1; }
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  console.log('fork probe: ' + JSON.stringify({ started, refused }));
  assert.equal(refused, 0);
});
`,
    loop: `${header}test('spins for ever', () => { for (;;) {} });\n`,
    memory: `${header}test('takes all the memory', () => {
  const hoard = [];
  for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
});
`,
    // Beyond the issue's five: the worktree's .git is in the writable workspace; a .git of the test's
    // making would have the host's own git (commitAll, outside the sandbox) run a command of its choice.
    git: `${header}const fs = require('node:fs');
const path = require('node:path');
test('points the host’s git at a repository of its own', () => {
  assert.ok(fs.existsSync('.git'), 'no .git here to replace');
  const branch = 'refs/heads/task/' + path.basename(process.cwd()).replace(/^task-/, '');
  fs.mkdirSync('.evil/objects', { recursive: true });
  fs.mkdirSync('.evil/refs/heads', { recursive: true });
  fs.writeFileSync('.evil/HEAD', 'ref: ' + branch + '\\n');
  fs.writeFileSync('.evil/config', '[core]\\n\\trepositoryformatversion = 0\\n\\tfsmonitor = "touch ${gitHookMark}; false"\\n');
  const found = {};
  try { fs.writeFileSync('.git', 'gitdir: .evil\\n'); found.rewrite = 'done'; } catch (error) { found.rewrite = error.code; }
  try { fs.rmSync('.git', { force: true }); fs.renameSync('.evil', '.git'); found.replace = 'done'; } catch (error) { found.replace = error.code; }
  console.log('git probe: ' + JSON.stringify(found));
  assert.ok(Object.values(found).includes('done'));
});
`,
  } as const;
  type Probe = keyof typeof probes;

  const finish = [{ name: 'finish', arguments: { summary: 'done' } }];
  /** Writes the project, runs its tests, then (for .git) writes once more so the host commits, and finishes. */
  const scriptOf = (probe: Probe | 'normal'): readonly ScriptedStep[] => {
    const testFile =
      probe === 'normal'
        ? `${header}test('adds', () => assert.equal(1 + 1, 2));\n`
        : probes[probe].replace('__ROOT__', join(root, marker));
    const write = [
      { name: 'write_file', arguments: { path: 'package.json', content: pkg } },
      { name: 'write_file', arguments: { path: 'test/probe.test.js', content: testFile } },
    ];
    const runTests = [{ name: 'run_tests', arguments: {} }];
    const touch = [{ name: 'write_file', arguments: { path: 'notes.md', content: 'after the tests\n' } }];
    return probe === 'git' ? [write, runTests, touch, finish] : [write, runTests, finish];
  };

  /** Serves every task's conversation by the tag in its description. */
  const responder = (request: FakeChatRequest) => {
    const opening = request.messages?.find((message) => message.role === 'user')?.content ?? '';
    const tag = /\[probe:(\w+)\]/.exec(opening)?.[1] as Probe | 'normal' | undefined;
    return tag === undefined ? undefined : scriptedToolAgent(scriptOf(tag))(request);
  };

  /** A planned goal with one dev task; returns the ids. */
  const goalWithTask = async (tag: Probe | 'normal') => {
    const goal = await new GoalRepository(h.bolt, h.config.neo4j.database).create(h.tenant, `a probe (${tag})`);
    await h.bolt.executeQuery("MATCH (g:Goal {id: $id}) SET g.status = 'planned'", { id: goal.id });
    const created = await h.tasks.createPlan(
      h.tenant,
      {
        tasks: [{ key: 'task', description: `Run the probe [probe:${tag}]`, owner: 'dev', tokensPlan: 40 }],
        dependencies: [],
      },
      { goalId: goal.id },
    );
    return { goalId: goal.id, taskId: created?.ids.task as string };
  };

  /**
   * Waits for the task to end, for up to three of the harness's deadlines: all the probes share the machine's CPUs,
   * and the fork bomb and the endless loop hold theirs for the whole wall clock, twice (agent and gate).
   */
  const settled = async (taskId: string) => {
    for (let wait = 1; ; wait += 1) {
      try {
        return await h.waitForStatus(taskId, 'done', 'failed');
      } catch (error) {
        if (wait === 3) throw error;
      }
    }
  };

  type Ended = { goalId: string; task: { status: string; statusReason: string | null } };
  const ended = new Map<Probe, Promise<Ended>>();

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    llm.setResponder(responder);
    root = await mkdtemp(join(tmpdir(), 'ai-org-ws-'));
    h = await createHarness({
      WORKSPACE_ROOT: root,
      LLM_TIMEOUT_MS: '10000',
      AGENT_GATE_ROUNDS: '1',
      SANDBOX_WALL_CLOCK_MS: '10000',
      SANDBOX_CPU_SECONDS: '3',
      SANDBOX_MEMORY_MB: '128',
      SANDBOX_PROCESSES: '64',
      // All the probes at once; a lock long enough that two busy CPUs never make a job look stalled.
      WORKER_CONCURRENCY: '8',
      WORKER_LOCK_DURATION_MS: '15000',
    });
    await h.budget.topUp(h.tenant, 1_000_000);
    await h.startWorkers(
      new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 10_000 }),
    );
    for (const probe of Object.keys(probes) as Probe[]) {
      const { goalId, taskId } = await goalWithTask(probe);
      const done = settled(taskId).then((task) => ({ goalId, task }));
      done.catch(() => {}); // awaited by its own test
      ended.set(probe, done);
    }
    await h.dispatch.dispatchReady(h.tenant, 10);
  });
  afterAll(async () => {
    await h?.close();
    await llm?.close();
    await rm(root, { recursive: true, force: true });
    await rm(join(hostDir, marker), { force: true });
    await rm(gitHookMark, { force: true });
  });

  /** The probe's task failed at the gate, nothing merged; and its two test runs (the agent's and the gate's). */
  const refusedAtGate = async (probe: Probe): Promise<{ agent: TestRunRecord; gate: TestRunRecord }> => {
    const { goalId, task } = (await ended.get(probe)) as Ended;
    expect(task.status).toBe('failed');
    expect(task.statusReason).toMatch(/^the tests failed on the merge result 1 times; nothing was merged/);
    expect(await records().merges(h.tenant, goalId)).toEqual([]);
    expect((await records().byGoal(h.tenant, goalId))?.mainCommit).toBeNull();
    const runs = await records().testRuns(h.tenant, goalId);
    expect(runs.map((run) => run.kind).sort()).toEqual(['agent', 'gate']);
    const agent = runs.find((run) => run.kind === 'agent') as TestRunRecord;
    const gate = runs.find((run) => run.kind === 'gate') as TestRunRecord;
    return { agent, gate };
  };

  /** Host processes whose command line carries the marker (a fork bomb's survivors). */
  const hostProcessesWithMarker = async (): Promise<number> => {
    let found = 0;
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(marker)) found += 1;
    }
    return found;
  };

  it('cannot reach the network, not even the host’s Redis on loopback', async () => {
    for (const run of Object.values(await refusedAtGate('network'))) {
      expect(run.output).toMatch(/network probe: \{"redis":"ECONNREFUSED","web":"(EAI_AGAIN|ENETUNREACH|ENOTFOUND)"\}/);
      expect(run.exitCode).not.toBe(0);
    }
  }, 120_000);

  it('cannot write outside the workspace nor read the platform: /tmp, the workspaces and the platform are empty and private, the rest read-only', async () => {
    for (const run of Object.values(await refusedAtGate('write'))) {
      expect(run.output).toMatch(
        /write probe: \{"tmp":"written","workspaceRoot":"written","repo":"ENOENT","etc":"EROFS","readPlatform":"ENOENT"\}/,
      );
    }
    for (const file of [`/tmp/${marker}`, join(root, marker), join(hostDir, marker), `/etc/${marker}`]) {
      await expect(stat(file), file).rejects.toThrow(/ENOENT/);
    }
  }, 120_000);

  it('stops a fork bomb at the process limit and leaves no process behind on the host', async () => {
    for (const run of Object.values(await refusedAtGate('fork'))) {
      expect(run.limitHit).toBe('processes');
    }
    expect(await hostProcessesWithMarker()).toBe(0);
  }, 120_000);

  it('stops an endless loop at the CPU or the wall-clock limit', async () => {
    for (const run of Object.values(await refusedAtGate('loop'))) {
      // RLIMIT_CPU kills the spinning process, which is node's test runner's child under npm: the sandbox
      // reports 'cpu' only when the command it started (npm) dies of it, so the record shows a failed run
      // (the runner names SIGXCPU) with no limit. Under heavy load the wall clock may come first instead.
      if (run.limitHit === null) {
        expect(run.exitCode).not.toBe(0);
        expect(run.output).toMatch(/signal: 'SIGXCPU'/);
      } else {
        expect(run.limitHit).toMatch(/^(cpu|wall_clock)$/);
      }
    }
  }, 120_000);

  it('kills a memory hog at the memory limit', async () => {
    for (const run of Object.values(await refusedAtGate('memory'))) {
      expect(run.limitHit).toBe('memory');
    }
  }, 120_000);

  it('cannot replace the worktree’s .git, so the host’s git never runs a command of the test’s choosing', async () => {
    const { agent, gate } = await refusedAtGate('git');
    await expect(stat(gitHookMark)).rejects.toThrow(/ENOENT/);
    expect(agent.output).toMatch(/git probe: \{"rewrite":"EROFS","replace":"EBUSY"\}/);
    // The gate's export has no .git at all (and no git of the host runs there).
    expect(gate.output).toMatch(/no \.git here to replace/);
  }, 120_000);

  it('after all of that, the same running workers do a normal task and merge it', async () => {
    const { goalId, taskId } = await goalWithTask('normal');
    await h.dispatch.dispatchReady(h.tenant, 10);
    expect(await settled(taskId)).toMatchObject({ status: 'done', statusReason: null });
    expect(await records().merges(h.tenant, goalId)).toHaveLength(1);
    const gate = (await records().testRuns(h.tenant, goalId)).filter((run) => run.kind === 'gate');
    expect(gate).toMatchObject([{ exitCode: 0, passed: 1, failed: 0, limitHit: null }]);
  }, 120_000);
});
