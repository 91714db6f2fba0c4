import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costOfTokens } from '@ai-org/core';
import { GoalRepository, WorkspaceRepository } from '@ai-org/schema';
import { type FakeLlmServer, scriptedToolAgent, startFakeLlmServer } from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProvider, OpenAiProvider } from '../src/llm';

/**
 * Goals' tasks done by tool-using agents in a real git workspace, with the real sandbox for tests,
 * real Neo4j and Redis: the offline provider building a working project, a scripted model fixing a
 * failing test, and a change whose tests fail never reaching main.
 */
describe('tool-using agents in a goal workspace', () => {
  let llm: FakeLlmServer;
  let h: Harness;
  let root: string;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(async () => {
    await llm.close();
  });
  afterEach(async () => {
    llm.setResponder(undefined);
    await h.close();
    await rm(root, { recursive: true, force: true });
  });

  const start = async (provider: 'offline' | 'openai', env: Record<string, string> = {}) => {
    root = await mkdtemp(join(tmpdir(), 'ai-org-ws-'));
    h = await createHarness({ WORKSPACE_ROOT: root, LLM_TIMEOUT_MS: '10000', ...env });
    await h.budget.topUp(h.tenant, 1_000_000);
    await h.startWorkers(
      provider === 'offline'
        ? new OfflineProvider()
        : new OpenAiProvider({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 10_000 }),
    );
  };

  /** A planned goal with one dev task; returns the ids. */
  const goalWithTask = async (goalText: string, description: string, tokensPlan = 40) => {
    const goals = new GoalRepository(h.bolt, h.config.neo4j.database);
    const goal = await goals.create(h.tenant, goalText);
    await h.bolt.executeQuery("MATCH (g:Goal {id: $id}) SET g.status = 'planned'", { id: goal.id });
    const created = await h.tasks.createPlan(
      h.tenant,
      { tasks: [{ key: 'task', description, owner: 'dev', tokensPlan }], dependencies: [] },
      { goalId: goal.id },
    );
    return { goalId: goal.id, taskId: created?.ids.task as string };
  };

  const records = () => new WorkspaceRepository(h.bolt, h.config.neo4j.database);

  /** The tenant's ledger settlements, by reservation id. */
  const settlements = async () => {
    const { records: rows } = await h.bolt.executeQuery(
      "MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'settle'}) RETURN e.jobId AS job, e.amountMicroUsd AS amount",
      { tenant: h.tenant },
    );
    return rows.map((row) => [row.get('job') as string, Number(row.get('amount'))] as const);
  };

  it('the offline provider builds a working CSV-to-JSON CLI, merged through the gate, each step paid once', async () => {
    await start('offline');
    const { goalId, taskId } = await goalWithTask(
      'a CLI that converts CSV to JSON',
      'Parse the CSV input into records and reject malformed records, naming the line or field at fault.',
    );
    await h.dispatch.dispatchReady(h.tenant, 10);
    const task = await h.waitForStatus(taskId, 'done', 'failed');
    expect(task.statusReason).toBeNull();
    expect(task.status).toBe('done');

    const workspace = await records().byGoal(h.tenant, goalId);
    const merges = await records().merges(h.tenant, goalId);
    expect(merges).toHaveLength(1);
    expect(workspace?.mainCommit).toBe(merges[0]?.commit);
    expect(merges[0]?.files).toEqual(expect.arrayContaining(['package.json', 'src/csv.js']));
    const gate = (await records().testRuns(h.tenant, goalId)).filter((run) => run.kind === 'gate');
    expect(gate).toHaveLength(1);
    expect(gate[0]).toMatchObject({ exitCode: 0, failed: 0, limitHit: null });
    expect(gate[0]?.passed).toBeGreaterThan(0);

    // Every step reserved and settled once under its own id; the dispatch itself charged nothing.
    const steps = await records().steps(h.tenant, `${taskId}.1`);
    const settled = new Map(await settlements());
    expect(settled.get(`${taskId}.1`)).toBe(0);
    const price = h.config.budget.microUsdPer1kTokens;
    for (const step of steps) {
      expect(settled.get(`${taskId}.1.step${step.n}`)).toBe(
        costOfTokens(step.promptTokens + step.completionTokens, price),
      );
    }
    expect((await settlements()).length).toBe(settled.size);
    const used = steps.reduce((sum, step) => sum + step.promptTokens + step.completionTokens, 0);
    expect(Math.round(task.tokensActual * 1000)).toBe(used);
  });

  it('a scripted model writes a bug, sees the failing test, fixes it and is merged', async () => {
    await start('openai');
    const pkg = JSON.stringify({ name: 'add', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } });
    const test =
      "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/add.js';\ntest('adds', () => assert.equal(add(2, 3), 5));\n";
    llm.setResponder(
      scriptedToolAgent([
        [
          { name: 'write_file', arguments: { path: 'package.json', content: pkg } },
          { name: 'write_file', arguments: { path: 'src/add.js', content: 'export const add = (a, b) => a - b;\n' } },
          { name: 'write_file', arguments: { path: 'test/add.test.js', content: test } },
        ],
        [{ name: 'run_tests', arguments: {} }],
        (_request, result) => {
          expect(result).toMatch(/^exit 1; passed 0; failed 1/);
          return {
            kind: 'tool_calls',
            calls: [
              {
                name: 'write_file',
                arguments: { path: 'src/add.js', content: 'export const add = (a, b) => a + b;\n' },
              },
            ],
          };
        },
        [{ name: 'run_tests', arguments: {} }],
        (_request, result) => {
          expect(result).toMatch(/^exit 0; passed 1; failed 0/);
          return { kind: 'tool_calls', calls: [{ name: 'finish', arguments: { summary: 'add() works' } }] };
        },
      ]),
    );
    const { goalId, taskId } = await goalWithTask('a small library that adds numbers', 'Implement add(a, b)');
    await h.dispatch.dispatchReady(h.tenant, 10);
    expect(await h.waitForStatus(taskId, 'done', 'failed')).toMatchObject({ status: 'done', statusReason: null });
    const runs = await records().testRuns(h.tenant, goalId);
    expect(runs.map((run) => [run.kind, run.exitCode]).reverse()).toEqual([
      ['agent', 1],
      ['agent', 0],
      ['gate', 0],
    ]);
    const [merge] = await records().merges(h.tenant, goalId);
    expect(merge?.diff).toContain('+export const add = (a, b) => a + b;');
    expect(merge?.diff).not.toContain('a - b');
  });

  it('a change whose tests fail is never merged: the agent gets the output, then the task fails', async () => {
    await start('openai', { AGENT_GATE_ROUNDS: '2' });
    const pkg = JSON.stringify({ name: 'bad', version: '1.0.0', scripts: { test: 'node --test' } });
    const failing =
      "const test = require('node:test');\ntest('fails', () => { throw new Error('broken on purpose'); });\n";
    const finish = [{ name: 'finish', arguments: { summary: 'done (it is not)' } }];
    llm.setResponder(
      scriptedToolAgent([
        [
          { name: 'write_file', arguments: { path: 'package.json', content: pkg } },
          { name: 'write_file', arguments: { path: 'test/bad.test.js', content: failing } },
        ],
        finish,
        (request) => {
          // The gate's refusal reached the agent as a message, with the test output.
          expect(request.messages?.at(-1)?.content).toContain('broken on purpose');
          return { kind: 'tool_calls', calls: [{ name: 'finish', arguments: { summary: 'still done' } }] };
        },
      ]),
    );
    const { goalId, taskId } = await goalWithTask('a library', 'Write a test');
    await h.dispatch.dispatchReady(h.tenant, 10);
    const task = await h.waitForStatus(taskId, 'done', 'failed');
    expect(task.status).toBe('failed');
    expect(task.statusReason).toMatch(/^the tests failed on the merge result 2 times; nothing was merged/);
    expect(await records().merges(h.tenant, goalId)).toEqual([]);
    expect((await records().byGoal(h.tenant, goalId))?.mainCommit).toBeNull();
    const gate = (await records().testRuns(h.tenant, goalId)).filter((run) => run.kind === 'gate');
    expect(gate.map((run) => run.failed)).toEqual([1, 1]);
  });

  it('merges nothing for a task set done by hand while its agent worked', async () => {
    await start('openai');
    const pkg = JSON.stringify({ name: 'ok', version: '1.0.0', scripts: { test: 'node --test' } });
    const passing = "const test = require('node:test');\ntest('passes', () => {});\n";
    let handChange: Promise<unknown> | undefined;
    let taskId = '';
    llm.setResponder(
      scriptedToolAgent([
        [
          { name: 'write_file', arguments: { path: 'package.json', content: pkg } },
          { name: 'write_file', arguments: { path: 'test/ok.test.js', content: passing } },
        ],
        () => {
          // Someone marks the task done by hand while the agent is about to finish.
          handChange = h.bolt.executeQuery(
            "MATCH (t:Task {id: $taskId}) SET t.status = 'done', t.statusReason = 'done by hand'",
            { taskId },
          );
          return {
            kind: 'slow',
            delayMs: 300,
            // biome-ignore lint/suspicious/noThenProperty: the fake server's behaviour after the delay
            then: { kind: 'tool_calls', calls: [{ name: 'finish', arguments: { summary: 'done' } }] },
          };
        },
      ]),
    );
    const created = await goalWithTask('a library', 'Write a passing test');
    taskId = created.taskId;
    await h.dispatch.dispatchReady(h.tenant, 10);
    await expect
      .poll(async () => (await records().testRuns(h.tenant, created.goalId)).length, { timeout: 30_000 })
      .toBe(1);
    await handChange;
    await h.waitForStatus(taskId, 'done');
    expect(await records().merges(h.tenant, created.goalId)).toEqual([]);
    expect((await records().byGoal(h.tenant, created.goalId))?.mainCommit).toBeNull();
  });
});
