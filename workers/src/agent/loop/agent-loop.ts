import type { AgentRole, Logger } from '@ai-org/core';
import type { BudgetService } from '@ai-org/domain';
import type { AgentStepRecord, ChargeDetails, WorkspaceRepository } from '@ai-org/schema';
import type { TenantLimiter } from '../../limits/tenant-limiter';
import type { AgentMessage, StepResponse, ToolCall, ToolDefinition, ToolStepProvider } from '../../llm';
import { countConversationTokens } from './agent-message-tokens';
import { isWriteTool } from './agent-tools';
import { executeToolCall, type ToolContext } from './tool-executor';

/** How a loop ended: the agent finished (with its summary), or a limit stopped it (with the reason). */
export type LoopOutcome =
  | { readonly state: 'finished'; readonly summary: string; readonly tokensUsed: number }
  | { readonly state: 'stopped'; readonly reason: string; readonly tokensUsed: number };

/** A model refused the request for good (bad request, auth): the task fails with this reason. */
export class StepRefusedError extends Error {}

export interface AgentLoopDeps {
  readonly provider: ToolStepProvider;
  readonly steps: Pick<WorkspaceRepository, 'steps' | 'recordStep' | 'recordResults'>;
  readonly budget: Pick<BudgetService, 'reserve' | 'settle' | 'release' | 'costOfTokens'>;
  readonly maxSteps: number;
  readonly stepMaxTokens: number;
  /** A provider's error as thrown on: StepRefusedError when no retry can help, else as it was (retried). */
  readonly classify: (error: unknown) => Error;
  /**
   * The tenant's tokens per minute: each step takes its prompt and completion cap before it is asked
   * and gives back what it did not use. A full window throws TenantLimitError (the job waits for the next).
   */
  readonly tokens?: Pick<TenantLimiter, 'takeTokens'>;
}

export interface LoopRun {
  readonly tenantId: string;
  readonly taskId: string;
  readonly dispatchId: string;
  readonly role: AgentRole;
  /** The opening messages (system, task); the steps so far are replayed after them. */
  readonly opening: readonly AgentMessage[];
  readonly tools: readonly ToolDefinition[];
  /** Tokens this dispatch may use in all (the task's plan × the expensive-failure factor, less what it used). */
  readonly tokenAllowance: number;
  readonly workspace: ToolContext;
  /** Commits the worktree after a step that wrote; returns the commit (null: nothing changed). */
  readonly commit: (message: string) => Promise<string | null>;
  readonly log: Logger;
  /** After each step: for live events and metrics. Never throws. */
  readonly onStep: (step: AgentStepRecord, tokens: { prompt: number; completion: number }) => void;
}

/** A tool call seen this many times in one dispatch stops the loop: the agent is stuck. */
export const stuckRepeats = 3;

/**
 * Counts identical tool calls made while the workspace stood still: the same call after a commit (a
 * test run after a fix) is a new one, the same call on an unchanged workspace a repeat.
 */
class CallHistory {
  private readonly times = new Map<string, number>();
  private state = '';

  constructor(steps: readonly AgentStepRecord[]) {
    for (const step of steps) {
      for (const call of step.toolCalls) this.count(call);
      if (step.commit) this.moved(step.commit);
    }
  }

  /** This call's number of occurrences on the current workspace, this one included. */
  count(call: ToolCall): number {
    const key = `${this.state}\u0000${call.name}\u0000${call.arguments.trim()}`;
    const times = (this.times.get(key) ?? 0) + 1;
    this.times.set(key, times);
    return times;
  }

  moved(commit: string): void {
    this.state = commit;
  }
}

const tokensOf = (step: AgentStepRecord): number =>
  step.kind === 'model' ? step.promptTokens + step.completionTokens : 0;

/** What a step's charge was for, kept with it in the ledger (usage statements). */
const chargeOf = (run: LoopRun, tokens: number): ChargeDetails => ({ tokens, taskId: run.taskId, role: run.role });

/** The tokens a dispatch's steps used (and paid for). */
export const tokensOfSteps = (steps: readonly AgentStepRecord[]): number =>
  steps.reduce((sum, step) => sum + tokensOf(step), 0);

/** The conversation the checkpoints stand for, after the opening messages. */
export const replay = (steps: readonly AgentStepRecord[]): AgentMessage[] =>
  steps.flatMap((step): AgentMessage[] => {
    if (step.kind === 'gate') return [{ role: 'user', content: step.text ?? '' }];
    const assistant: AgentMessage = { role: 'assistant', content: step.text, toolCalls: step.toolCalls };
    const results = (step.results ?? []).map(
      (result): AgentMessage => ({ role: 'tool', toolCallId: result.toolCallId, content: result.content }),
    );
    return [assistant, ...results];
  });

/**
 * A role job's bounded loop of model steps with tools. Each step reserves its own tokens through the
 * budget gate (`<dispatch>.step<n>`), is checkpointed in Neo4j before it is settled, and has its tools'
 * results and commit recorded after they ran. A job that died anywhere resumes from its checkpoints:
 * a step with a checkpoint is never asked (nor paid) again, a step whose tools had not finished runs
 * them again (writes are idempotent, tests are re-run), and a step reserved but not checkpointed is
 * asked again under the same reservation, which is settled once.
 *
 * Stops: `finish` (or an answer without tool calls); the step limit; the token allowance; the budget;
 * the same tool call a third time (stuck); an answer cut off at the step's token cap.
 */
export class AgentLoop {
  constructor(private readonly deps: AgentLoopDeps) {}

  async run(run: LoopRun): Promise<LoopOutcome> {
    const { steps: store } = this.deps;
    const steps = await store.steps(run.tenantId, run.dispatchId);
    let used = tokensOfSteps(steps);
    const last = steps.at(-1);
    const pending = last?.kind === 'model' && last.results === null ? last : null;
    // Tool calls made so far (a pending step's are counted when they run).
    const seen = new CallHistory(pending ? steps.slice(0, -1) : steps);

    // A step checkpointed but whose tools had not finished: run them now (the model is not asked again).
    // The job may have died between the checkpoint and its settlement: settle it (a settled one stays).
    if (last && pending) {
      await this.deps.budget.settle(
        run.tenantId,
        `${run.dispatchId}.step${last.n}`,
        this.deps.budget.costOfTokens(tokensOf(last)),
        chargeOf(run, tokensOf(last)),
      );
      const done = await this.execute(run, last, seen);
      steps[steps.length - 1] = done.step;
      if (done.outcome) return { ...done.outcome, tokensUsed: used } as LoopOutcome;
    } else if (last?.kind === 'model') {
      // The job died after the loop had ended (finished, stuck, cut off): it ends the same way again.
      const ending = endingOf(last);
      if (ending) return { ...ending, tokensUsed: used };
    }

    let n = steps.length;
    let modelSteps = steps.filter((step) => step.kind === 'model').length;
    const messages: AgentMessage[] = [...run.opening, ...replay(steps)];
    for (;;) {
      if (modelSteps >= this.deps.maxSteps)
        return { state: 'stopped', reason: `step limit: ${this.deps.maxSteps} model steps`, tokensUsed: used };
      const promptTokens = countConversationTokens(messages, run.tools);
      const maxTokens = Math.min(this.deps.stepMaxTokens, run.tokenAllowance - used - promptTokens);
      if (maxTokens < 64) {
        return {
          state: 'stopped',
          reason: `token limit: ${used} tokens used, the next step needs ${promptTokens} for its prompt and ${run.tokenAllowance} are allowed (the plan × the expensive-failure factor)`,
          tokensUsed: used,
        };
      }
      const reservation = `${run.dispatchId}.step${n}`;
      // Before the reservation: a step the window cannot cover reserves nothing and is asked after it.
      const grant = await this.deps.tokens?.takeTokens(run.tenantId, promptTokens + maxTokens);
      const reserved = await this.deps.budget
        .reserve(run.tenantId, reservation, this.deps.budget.costOfTokens(promptTokens + maxTokens))
        .catch(async (error: unknown) => {
          await grant?.settle(0);
          throw error;
        });
      if (reserved.status !== 'ok' && reserved.status !== 'duplicate') {
        await grant?.settle(0);
        return {
          state: 'stopped',
          reason: `budget: step ${n} could not be reserved (${reserved.status})`,
          tokensUsed: used,
        };
      }
      let response: StepResponse;
      try {
        response = await this.deps.provider.step({ messages, tools: run.tools, maxTokens });
      } catch (error) {
        await grant?.settle(0);
        const failure = this.deps.classify(error);
        // Refused for good: nothing was used. Otherwise the reservation stays for the job's next try.
        if (failure instanceof StepRefusedError) await this.deps.budget.release(run.tenantId, reservation);
        throw failure;
      }
      await grant?.settle(response.promptTokens + response.completionTokens);
      const step = await store.recordStep({
        tenantId: run.tenantId,
        taskId: run.taskId,
        dispatchId: run.dispatchId,
        n,
        kind: 'model',
        text: response.text,
        toolCalls: response.toolCalls,
        promptTokens: response.promptTokens,
        completionTokens: response.completionTokens,
        finishReason: response.finishReason,
        provider: response.provider,
        model: response.model,
      });
      const tokens = tokensOf(step);
      await this.deps.budget.settle(
        run.tenantId,
        reservation,
        this.deps.budget.costOfTokens(tokens),
        chargeOf(run, tokens),
      );
      used += tokens;
      modelSteps += 1;
      run.onStep(step, { prompt: step.promptTokens, completion: step.completionTokens });
      const done = await this.execute(run, step, seen);
      if (done.outcome) return { ...done.outcome, tokensUsed: used } as LoopOutcome;
      messages.push(...replay([done.step]));
      n += 1;
    }
  }

  /** Runs a checkpointed step's tools, records their results and commit; tells whether the loop ends. */
  private async execute(
    run: LoopRun,
    step: AgentStepRecord,
    seen: CallHistory,
  ): Promise<{
    step: AgentStepRecord;
    outcome?: { state: 'finished'; summary: string } | { state: 'stopped'; reason: string };
  }> {
    if (step.toolCalls.length === 0) {
      // A plain answer: the agent has nothing more to do (its text is the summary), or was cut off.
      await this.deps.steps.recordResults(run.tenantId, run.dispatchId, step.n, [], null);
      const recorded = { ...step, results: [] };
      return { step: recorded, outcome: endingOf(recorded) ?? undefined };
    }
    const results: { toolCallId: string; content: string }[] = [];
    let summary: string | null = null;
    let stuck: string | null = null;
    for (const call of step.toolCalls) {
      if (seen.count(call) >= stuckRepeats) {
        stuck = `${stuckPrefix}${call.name} called ${stuckRepeats} times with the same arguments`;
        results.push({ toolCallId: call.id, content: `error: ${stuck}` });
        continue;
      }
      const outcome = await executeToolCall(call, run.workspace);
      results.push({ toolCallId: call.id, content: outcome.content });
      if (outcome.finished) summary = outcome.finished.summary;
    }
    const wrote = step.toolCalls.some((call) => isWriteTool(call.name));
    const commit = wrote ? await run.commit(`task ${run.taskId}: step ${step.n}`) : null;
    if (commit) seen.moved(commit);
    await this.deps.steps.recordResults(run.tenantId, run.dispatchId, step.n, results, commit);
    const recorded: AgentStepRecord = { ...step, results, commit };
    if (stuck !== null) return { step: recorded, outcome: { state: 'stopped', reason: stuck } };
    if (summary !== null) return { step: recorded, outcome: { state: 'finished', summary } };
    return { step: recorded };
  }
}

const stuckPrefix = 'stuck: ';

/**
 * How a step whose tools ran ended the loop, if it did: cut off at its token cap, stuck (one of its
 * calls refused as a repeat), finished (it called finish, or answered without tool calls).
 */
const endingOf = (
  step: AgentStepRecord,
): { state: 'finished'; summary: string } | { state: 'stopped'; reason: string } | null => {
  if (step.toolCalls.length === 0) {
    return step.finishReason === 'length'
      ? { state: 'stopped', reason: `step ${step.n} was cut off at its completion token cap` }
      : { state: 'finished', summary: step.text ?? '' };
  }
  const stuck = step.results?.find((result) => result.content.startsWith(`error: ${stuckPrefix}`));
  if (stuck) return { state: 'stopped', reason: stuck.content.slice('error: '.length) };
  const call = step.toolCalls.find((candidate) => candidate.name === 'finish');
  if (!call) return null;
  try {
    const summary = (JSON.parse(call.arguments) as { summary?: unknown }).summary;
    return { state: 'finished', summary: typeof summary === 'string' ? summary : '' };
  } catch {
    return { state: 'finished', summary: '' };
  }
};
