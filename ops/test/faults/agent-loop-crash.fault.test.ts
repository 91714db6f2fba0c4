import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetStore, budgetKeys, costOfTokens, dispatchIdOf } from '@ai-org/core';
import { newTaskId, WorkspaceRepository } from '@ai-org/schema';
import { type FakeBehaviour, type FakeChatRequest, type FakeToolCall, scriptedToolAgent } from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultStack, faultServices, startFaultStack } from './fault-run';
import { neo4jUriOf, redisUrlOf } from './services';

/** How long the fake model takes to answer a step: long enough to kill the worker while it waits. */
const stepDelayMs = 1_500;
/** The task's whole run, the kill and the restart included (three tsx processes on a busy machine). */
const runDeadlineMs = 150_000;
/** The whole scenario: up to two steps before the kill, the run after it, the checks. */
const testDeadlineMs = 240_000;

const pkg = JSON.stringify({ name: 'arith', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } });
const addTest =
  "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/add.js';\ntest('adds', () => assert.equal(add(2, 3), 5));\n";
const subTest =
  "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sub } from '../src/sub.js';\ntest('subtracts', () => assert.equal(sub(5, 3), 2));\n";

/** A dev agent's seven steps, each answered after `stepDelayMs`; the call ids are the step's own. */
const slowSteps = (steps: readonly (readonly FakeToolCall[])[]) =>
  scriptedToolAgent(
    steps.map(
      (calls, step) => (): FakeBehaviour => ({
        kind: 'slow',
        delayMs: stepDelayMs,
        // biome-ignore lint/suspicious/noThenProperty: FakeBehaviour's field (what a slow answer answers with)
        then: { kind: 'tool_calls', calls: calls.map((call, index) => ({ ...call, id: `call_${step}_${index}` })) },
      }),
    ),
  );
const script = slowSteps([
  [
    { name: 'write_file', arguments: { path: 'package.json', content: pkg } },
    { name: 'write_file', arguments: { path: 'src/add.js', content: 'export const add = (a, b) => a + b;\n' } },
    { name: 'write_file', arguments: { path: 'test/add.test.js', content: addTest } },
  ],
  [{ name: 'list_files', arguments: {} }],
  [{ name: 'read_file', arguments: { path: 'src/add.js' } }],
  [{ name: 'run_tests', arguments: {} }],
  [
    { name: 'write_file', arguments: { path: 'src/sub.js', content: 'export const sub = (a, b) => a - b;\n' } },
    { name: 'write_file', arguments: { path: 'test/sub.test.js', content: subTest } },
  ],
  [{ name: 'run_tests', arguments: {} }],
  [{ name: 'finish', arguments: { summary: 'add() and sub(), tested' } }],
]);

/** The step a request asks for: the number of assistant turns it already holds (as the script counts). */
const stepOf = (request: FakeChatRequest): number =>
  request.messages?.filter((message) => message.role === 'assistant').length ?? 0;

/**
 * A goal's dev task done by a tool-using agent in the role workers' process, which is killed with
 * SIGKILL while one of its model steps waits for the model, and started again: the job, recovered as
 * stalled by the new process, resumes from its checkpoints in Neo4j. No step with a checkpoint is asked
 * again, every step is paid once for the tokens it recorded, and the change is merged once.
 */
describe('an agent loop killed mid-step', () => {
  let h: Harness;
  let faults: FaultStack;
  let root: string;

  beforeAll(async () => {
    const services = faultServices();
    root = await mkdtemp(join(tmpdir(), 'ai-org-loop-crash-'));
    const shared = {
      NEO4J_URI: neo4jUriOf(services),
      NEO4J_PASSWORD: 'unused',
      REDIS_URL: redisUrlOf(services),
      WORKSPACE_ROOT: root,
    };
    // A tenant of its own (funded through the domain), served by the three processes.
    h = await createHarness(shared);
    faults = await startFaultStack(0, {
      ...shared,
      WORKER_TENANTS: h.tenant,
      // The dead worker's lock expires in 3 s; the new process looks for stalled jobs every second.
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      LLM_TIMEOUT_MS: '60000',
    });
  });
  afterAll(async () => {
    await faults?.close();
    await h?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it(
    'a worker killed with SIGKILL while a step waits for the model: the job resumes, no step asked or paid twice',
    async () => {
      const { bolt } = h;
      const records = new WorkspaceRepository(bolt, h.config.neo4j.database);
      faults.llm.setResponder(script);
      await h.budget.topUp(h.tenant, 1_000_000);

      // A planned goal (never seen by the planner) with one dev task.
      const goalId = newTaskId(); // goals' ids look like tasks' (the workspace's folders are named by them)
      await bolt.executeQuery(
        `MERGE (tn:Tenant {id: $tenant}) ON CREATE SET tn.name = $tenant, tn.createdAt = datetime()
       CREATE (tn)-[:HAS_GOAL]->(:Goal {id: $goalId, tenantId: $tenant, text: 'a small arithmetic library',
         status: 'planned', createdAt: datetime()})`,
        { tenant: h.tenant, goalId },
      );
      const created = await h.tasks.createPlan(
        h.tenant,
        {
          tasks: [
            { key: 'lib', description: 'Implement add(a, b) and sub(a, b), tested', owner: 'dev', tokensPlan: 40 },
          ],
          dependencies: [],
        },
        { goalId },
      );
      const taskId = created?.ids.lib as string;
      const dispatchId = dispatchIdOf(taskId, 1);
      const toolRequests = () => faults.llm.requests.filter((request) => request.tools?.length);

      // The orchestrator dispatches it; once two steps are checkpointed, the worker dies while the next
      // step's request waits for its answer (stepDelayMs), before that step could be checkpointed.
      const checkpoints = async () => (await records.steps(h.tenant, dispatchId)).length;
      await expect.poll(checkpoints, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2);
      const inFlight = await checkpoints();
      await expect
        .poll(() => toolRequests().some((request) => stepOf(request) === inFlight), { timeout: 30_000, interval: 5 })
        .toBe(true);
      expect(await faults.stack.kill('workers', 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await checkpoints()).toBe(inFlight); // the kill landed in the middle of the step
      await faults.stack.restart('workers');

      // The new process takes the job over (same dispatch) and the task ends done, merged once.
      await expect
        .poll(async () => (await h.tasks.get(h.tenant, taskId)).status, { timeout: runDeadlineMs, interval: 200 })
        .toMatch(/^(done|failed)$/);
      // (The worker marks the task done, then settles: wait for its job to complete.)
      const jobState = async () => (await h.queues.queue(h.tenant, 'dev').getJob(dispatchId))?.getState();
      await expect.poll(jobState, { timeout: 30_000, interval: 100 }).toBe('completed');
      const task = await h.tasks.get(h.tenant, taskId);
      expect(task).toMatchObject({ status: 'done', statusReason: null, dispatchCount: 1 });
      const merges = await records.merges(h.tenant, goalId);
      expect(merges.map((merge) => merge.taskId)).toEqual([taskId]);
      expect(merges[0]?.files).toEqual(
        expect.arrayContaining(['package.json', 'src/add.js', 'src/sub.js', 'test/add.test.js', 'test/sub.test.js']),
      );

      // Every step checkpointed once with its tools' results; the model asked once per step, except the
      // step that was in flight when the worker died, asked again by the new process.
      const steps = await records.steps(h.tenant, dispatchId);
      expect(steps.map((step) => [step.n, step.kind])).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => [n, 'model']));
      expect(steps.filter((step) => step.results === null)).toEqual([]);
      const asked = new Map<number, number>();
      for (const request of toolRequests()) asked.set(stepOf(request), (asked.get(stepOf(request)) ?? 0) + 1);
      expect(Object.fromEntries(asked)).toEqual(
        Object.fromEntries(steps.map((step) => [step.n, step.n === inFlight ? 2 : 1])),
      );
      // Both test runs passed (the agent's own; the gate's on the merge result).
      const runs = await records.testRuns(h.tenant, goalId);
      expect(runs.filter((run) => run.exitCode !== 0)).toEqual([]);

      // The ledger: each step settled once, for the tokens it recorded; a step number without a checkpoint
      // only ever released (0); the dispatch's own reservation (its admission ticket) settled at 0.
      const { records: rows } = await bolt.executeQuery(
        'MATCH (e:LedgerEntry {tenantId: $tenant}) RETURN e.kind AS kind, e.jobId AS job, e.amountMicroUsd AS amount',
        { tenant: h.tenant },
      );
      const entries = (kind: string) =>
        rows
          .filter((row) => row.get('kind') === kind)
          .map((row) => [row.get('job') as string, Number(row.get('amount'))] as const);
      const settles = new Map(entries('settle'));
      const reserves = new Map(entries('reserve'));
      expect(entries('settle')).toHaveLength(settles.size);
      const price = h.config.budget.microUsdPer1kTokens;
      const stepCharges = Object.fromEntries(
        steps.map((step) => [
          `${dispatchId}.step${step.n}`,
          costOfTokens(step.promptTokens + step.completionTokens, price),
        ]),
      );
      const settledSteps = [...settles].filter(([job]) => job.startsWith(`${dispatchId}.step`));
      expect(Object.fromEntries(settledSteps.filter(([job]) => job in stepCharges))).toEqual(stepCharges);
      expect(settledSteps.filter(([job, amount]) => !(job in stepCharges) && amount !== 0)).toEqual([]);
      expect(settles.get(dispatchId)).toBe(0);
      expect([...reserves.keys()].filter((job) => !settles.has(job))).toEqual([]);

      // Redis agrees with the ledger: nothing reserved, the same charges, and the books balance.
      const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
      const spent = sum(settles.values());
      const funded = sum(entries('fund').map(([, amount]) => amount));
      expect(await new BudgetStore(faults.redis).read(h.tenant)).toEqual({
        left: funded - spent,
        reserved: 0,
        spent,
        funded,
      });
      const keys = budgetKeys(h.tenant);
      expect(await faults.redis.hlen(keys.reservations)).toBe(0);
      const charges = (pairs: Iterable<readonly [string, number]>) =>
        Object.fromEntries([...pairs].filter(([, amount]) => amount > 0));
      const redisSettled = Object.entries(await faults.redis.hgetall(keys.settled)).map(
        ([job, amount]) => [job, Number(amount)] as const,
      );
      expect(charges(redisSettled)).toEqual(charges(settles));
      expect(spent).toBe(sum(Object.values(stepCharges)));

      // The task's tokens are its steps' tokens.
      const used = sum(steps.map((step) => step.promptTokens + step.completionTokens));
      expect(Math.round(task.tokensActual * 1000)).toBe(used);
    },
    testDeadlineMs,
  );
});
