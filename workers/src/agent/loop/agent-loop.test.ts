import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReserveOutcome } from '@ai-org/core';
import type { AgentStepRecord, NewAgentStep, StoredToolResult } from '@ai-org/schema';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepRequest, StepResponse, ToolCall } from '../../llm';
import { AgentLoop, type LoopRun, StepRefusedError, stuckRepeats } from './agent-loop';
import { toolsFor } from './agent-tools';

/** Checkpoints in memory, as WorkspaceRepository keeps them in Neo4j (first write wins). */
class MemorySteps {
  readonly rows = new Map<number, AgentStepRecord>();
  /** Throws once when results of step `n` are recorded: the process "dies" there. */
  crashOnResultsOf: number | null = null;

  async steps(): Promise<AgentStepRecord[]> {
    return [...this.rows.values()].sort((a, b) => a.n - b.n);
  }

  async recordStep(step: NewAgentStep): Promise<AgentStepRecord> {
    const existing = this.rows.get(step.n);
    if (existing) return existing;
    const row: AgentStepRecord = { ...step, results: null, commit: null, createdAt: new Date().toISOString() };
    this.rows.set(step.n, row);
    return row;
  }

  async recordResults(_t: string, _d: string, n: number, results: readonly StoredToolResult[], commit: string | null) {
    if (this.crashOnResultsOf === n) {
      this.crashOnResultsOf = null;
      throw new Error('worker killed');
    }
    const row = this.rows.get(n);
    if (row && row.results === null) this.rows.set(n, { ...row, results, commit });
  }
}

/** Reservations settled once, as the Redis budget store does; `left` bounds what may be reserved. */
class MemoryBudget {
  readonly reserved = new Map<string, number>();
  readonly settled = new Map<string, number>();
  constructor(private left = Number.POSITIVE_INFINITY) {}

  costOfTokens(tokens: number): number {
    return tokens;
  }

  async reserve(_tenant: string, id: string, cost: number): Promise<ReserveOutcome> {
    if (this.settled.has(id)) return { status: 'settled', amount: this.settled.get(id) ?? 0 };
    if (this.reserved.has(id)) return { status: 'duplicate', amount: this.reserved.get(id) ?? 0 };
    if (cost > this.left) return { status: 'insufficient', left: this.left };
    this.left -= cost;
    this.reserved.set(id, cost);
    return { status: 'ok', amount: cost };
  }

  async settle(_tenant: string, id: string, cost: number): Promise<number> {
    if (this.settled.has(id)) return this.settled.get(id) ?? 0;
    this.left += (this.reserved.get(id) ?? 0) - cost;
    this.reserved.delete(id);
    this.settled.set(id, cost);
    return cost;
  }

  release(tenant: string, id: string): Promise<number> {
    return this.settle(tenant, id, 0);
  }
}

/** A real (empty) folder for the tools that touch files: list_files, read_file, write_file. */
const workdir = mkdtempSync(join(tmpdir(), 'ai-org-loop-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const call = (name: string, args: object = {}, id = `${name}-${Math.random()}`): ToolCall => ({
  id,
  name,
  arguments: JSON.stringify(args),
});

/** A model that answers each step from the script (by the number of assistant messages so far). */
const scripted = (script: readonly (readonly ToolCall[])[]) => {
  const requests: StepRequest[] = [];
  return {
    requests,
    name: 'openai' as const,
    model: 'scripted',
    async step(request: StepRequest): Promise<StepResponse> {
      requests.push(request);
      const n = request.messages.filter((message) => message.role === 'assistant').length;
      const calls = script[n] ?? [call('finish', { summary: 'done' })];
      return {
        text: calls.length === 0 ? 'an answer cut short' : null,
        toolCalls: calls,
        promptTokens: 100,
        completionTokens: 10,
        // An empty step of the script stands for an answer cut off at the token cap.
        finishReason: calls.length === 0 ? 'length' : 'tool_calls',
        tokenSource: 'usage',
        provider: 'openai',
        model: 'scripted',
      };
    },
  };
};

const setup = (
  script: readonly (readonly ToolCall[])[],
  { maxSteps = 10, left = Number.POSITIVE_INFINITY, allowance = 100_000 } = {},
) => {
  const steps = new MemorySteps();
  const budget = new MemoryBudget(left);
  const provider = scripted(script);
  const executed: string[] = [];
  const loop = new AgentLoop({
    provider,
    steps,
    budget,
    maxSteps,
    stepMaxTokens: 1_000,
    classify: (error) => (error instanceof Error ? error : new Error(String(error))),
  });
  const run: LoopRun = {
    tenantId: 't',
    taskId: 'task0001',
    dispatchId: 'task0001.1',
    role: 'dev',
    opening: [
      { role: 'system', content: 'You are the dev agent.' },
      { role: 'user', content: 'Task task0001: do it' },
    ],
    tools: toolsFor(true),
    tokenAllowance: allowance,
    workspace: {
      dir: workdir,
      writable: true,
      runTests: async () => {
        executed.push('run_tests');
        return { command: 'npm test', run: null, output: 'ok', passed: 1, failed: 0, passedRun: true };
      },
    },
    commit: async () => null,
    log: {
      info() {},
      warn() {},
      debug() {},
      error() {},
      child() {
        return this;
      },
    } as never,
    onStep: () => {},
  };
  return { steps, budget, provider, executed, loop, run };
};

describe('an agent loop', () => {
  it('reserves and settles each step on its own, and ends at finish with the summary', async () => {
    const { loop, run, budget } = setup([[call('run_tests')], [call('finish', { summary: 'built it' })]]);
    const outcome = await loop.run(run);
    expect(outcome).toEqual({ state: 'finished', summary: 'built it', tokensUsed: 220 });
    expect([...budget.settled]).toEqual([
      ['task0001.1.step0', 110],
      ['task0001.1.step1', 110],
    ]);
    expect(budget.reserved.size).toBe(0);
  });

  it(`stops an agent that makes the same call ${stuckRepeats} times on an unchanged workspace, with the reason`, async () => {
    const same = () => [call('read_file', { path: 'a.txt' }, 'same')];
    const { loop, run } = setup([same(), same(), same(), same()]);
    const outcome = await loop.run(run);
    expect(outcome).toMatchObject({
      state: 'stopped',
      reason: expect.stringMatching(/^stuck: read_file called 3 times/),
    });
  });

  it('counts a call again after the workspace changed (a test run after a fix is no repeat)', async () => {
    const { loop, run, executed } = setup([
      [call('run_tests')],
      [call('write_file', { path: 'a.js', content: '1' })],
      [call('run_tests')],
      [call('write_file', { path: 'a.js', content: '2' })],
      [call('run_tests')],
      [call('finish', { summary: 'fixed' })],
    ]);
    let commits = 0;
    const outcome = await loop.run({ ...run, commit: async () => `c${++commits}` });
    expect(outcome.state).toBe('finished');
    expect(executed).toEqual(['run_tests', 'run_tests', 'run_tests']);
  });

  it('stops at the step limit', async () => {
    const { loop, run } = setup(
      [[call('list_files', {}, 'a')], [call('list_files', { prefix: 'b' })], [call('run_tests')]],
      {
        maxSteps: 2,
      },
    );
    expect(await loop.run(run)).toMatchObject({
      state: 'stopped',
      reason: 'step limit: 2 model steps',
      tokensUsed: 220,
    });
  });

  it('stops when the token allowance (plan × factor) cannot pay for the next step', async () => {
    const { loop, run, provider } = setup([[call('run_tests')], [call('run_tests')]], { allowance: 400 });
    const outcome = await loop.run(run);
    expect(outcome).toMatchObject({ state: 'stopped', reason: expect.stringMatching(/^token limit/) });
    expect(provider.requests.length).toBeLessThan(3);
  });

  it('stops when the budget cannot reserve a step, without calling the model', async () => {
    const { loop, run, provider } = setup([[call('run_tests')]], { left: 10 });
    expect(await loop.run(run)).toMatchObject({
      state: 'stopped',
      reason: 'budget: step 0 could not be reserved (insufficient)',
    });
    expect(provider.requests).toHaveLength(0);
  });

  it('resumes after a crash at the last checkpoint: no step asked or paid twice, its tools run again', async () => {
    const script = [[call('run_tests')], [call('list_files')], [call('finish', { summary: 'ok' })]];
    const first = setup(script);
    first.steps.crashOnResultsOf = 1;
    await expect(first.loop.run(first.run)).rejects.toThrow('worker killed');
    expect(first.provider.requests).toHaveLength(2);

    // Another worker takes the job over with the same checkpoints and the same budget.
    const second = setup(script);
    const loop = new AgentLoop({
      provider: second.provider,
      steps: first.steps,
      budget: first.budget,
      maxSteps: 10,
      stepMaxTokens: 1_000,
      classify: (error) => error as Error,
    });
    const outcome = await loop.run(first.run);
    expect(outcome).toEqual({ state: 'finished', summary: 'ok', tokensUsed: 330 });
    // Step 1 (checkpointed, tools not done) was not asked again: only step 2 was.
    expect(second.provider.requests).toHaveLength(1);
    expect([...first.budget.settled.values()]).toEqual([110, 110, 110]);
  });

  it('settles a step checkpointed by a worker that died before it settled, once, when the job resumes', async () => {
    const script = [[call('run_tests')], [call('finish', { summary: 'ok' })]];
    const { loop, run, budget, steps, provider } = setup(script);
    // The dead worker's step 0: reserved and checkpointed, neither settled nor its tools run.
    await budget.reserve('t', 'task0001.1.step0', 1_000);
    await steps.recordStep({
      tenantId: 't',
      taskId: 'task0001',
      dispatchId: 'task0001.1',
      n: 0,
      kind: 'model',
      text: null,
      toolCalls: script[0] ?? [],
      promptTokens: 100,
      completionTokens: 10,
      finishReason: 'tool_calls',
      provider: 'openai',
      model: 'scripted',
    });
    expect(await loop.run(run)).toEqual({ state: 'finished', summary: 'ok', tokensUsed: 220 });
    expect(provider.requests).toHaveLength(1); // step 1 only
    expect([...budget.settled]).toEqual([
      ['task0001.1.step0', 110],
      ['task0001.1.step1', 110],
    ]);
    expect(budget.reserved.size).toBe(0);
  });

  it('asks a reserved but unrecorded step again under the same reservation, paid once', async () => {
    const { loop, run, budget, provider } = setup([[call('finish', { summary: 'ok' })]]);
    await budget.reserve('t', 'task0001.1.step0', 1_000); // the dead worker's reservation
    expect(await loop.run(run)).toMatchObject({ state: 'finished' });
    expect(provider.requests).toHaveLength(1);
    expect([...budget.settled]).toEqual([['task0001.1.step0', 110]]);
  });

  it('gives back the step reservation when the model refuses for good', async () => {
    const { run, budget, steps } = setup([]);
    const loop = new AgentLoop({
      provider: {
        name: 'openai',
        model: 'm',
        step: async () => {
          throw new StepRefusedError('LLM refused: bad request');
        },
      },
      steps,
      budget,
      maxSteps: 10,
      stepMaxTokens: 1_000,
      classify: (error) => error as Error,
    });
    await expect(loop.run(run)).rejects.toThrow('LLM refused');
    expect([...budget.settled]).toEqual([['task0001.1.step0', 0]]);
  });

  it('stops at an answer cut off at the step cap, and stops the same way when the job is resumed', async () => {
    const { loop, run, provider } = setup([[]]);
    const outcome = await loop.run(run);
    expect(outcome).toMatchObject({ state: 'stopped', reason: 'step 0 was cut off at its completion token cap' });
    expect(await loop.run(run)).toEqual(outcome);
    expect(provider.requests).toHaveLength(1);
  });

  it('stays stopped for a stuck agent when the job is resumed after the stop, without asking the model again', async () => {
    const same = () => [call('read_file', { path: 'a.txt' }, 'same')];
    const { loop, run, provider } = setup([same(), same(), same(), same()]);
    const outcome = await loop.run(run);
    expect(outcome.state).toBe('stopped');
    expect(await loop.run(run)).toEqual(outcome);
    expect(provider.requests).toHaveLength(3);
  });
});
