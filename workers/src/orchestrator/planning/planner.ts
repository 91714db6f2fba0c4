import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelayMs } from '../../jobs/job-backoff';
import {
  type ChatMessage,
  type Completion,
  countMessageTokens,
  isLlmError,
  type LlmError,
  type LlmProvider,
} from '../../llm';
import { parsePlan } from './parse-plan';
import type { ModelPlan } from './plan-schema';
import { PlanningPrompts } from './planning-prompts';

/**
 * Completion cap that fits a 30-task plan with room to spare. The offline provider cuts its text at
 * the cap like a model would, so a much smaller one would truncate even its placeholder plan.
 */
export const defaultPlanningMaxTokens = 4_000;

/**
 * How a rate-limited (429) or transient (5xx, timeout) call is retried in place, by the agent jobs'
 * rule: after its Retry-After, else exponential backoff from `backoffMs` with ±10 % jitter.
 */
export interface PlannerRetry {
  /** Attempts per call, the first included (JOB_ATTEMPTS). */
  readonly attempts: number;
  /** Base of the exponential backoff (JOB_BACKOFF_MS). */
  readonly backoffMs: number;
  /**
   * Tokens planning one goal may use (PLANNING_TOKENS): no retry is made whose worst case — the tokens
   * the goal's calls used so far, plus the call's prompt and completion cap — could pass it.
   */
  readonly tokenBudget: number;
  /** Waiting between attempts, all calls together, stays within this (the goal claim must not go stale). */
  readonly maxWaitMs: number;
  /** How to wait; tests pass one that records instead of sleeping. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface PlannerOptions {
  readonly llm: LlmProvider;
  /** Completion cap of each of the (two or three) calls. */
  readonly maxTokensPerCall: number;
  /** Retry rate-limited and transient calls; without it, the first failure ends planning. */
  readonly retry?: PlannerRetry;
}

/** A call that failed for good after retries (or was not retried): why, and the last LLM error. */
class CallFailed extends Error {
  constructor(
    readonly reason: string,
    readonly llmError: LlmError,
  ) {
    super(reason);
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

export type PlanOutcome =
  | {
      readonly ok: true;
      readonly plan: ModelPlan;
      /** The architect's outline the plan was made from. */
      readonly architecture: string;
      /** Prompt + completion tokens of every call made. */
      readonly tokensUsed: number;
      readonly provider: 'openai' | 'offline';
      readonly model: string;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly tokensUsed: number;
      /** True for rate limits and transient LLM failures: the same goal may well plan on a later try. */
      readonly retryable: boolean;
      /** The LLM error planning stopped on (its `retryAfterMs` for a rate limit); absent for an invalid plan. */
      readonly cause?: LlmError;
    };

/**
 * Goal → plan in two steps, architect then planner: asking for the structure first gives the task
 * split something to follow. An invalid plan gets exactly one repair call with the problems spelled
 * out; a second invalid answer is reported rather than retried, so a confused model cannot spend
 * the budget in a loop. With `retry`, a rate-limited or transient call is retried in place like an
 * agent job (Retry-After, else backoff), bounded by the attempts, the goal's planning budget and the
 * time planning may wait; a permanent error ends planning at once. LLM failures that remain are
 * returned, not thrown.
 */
export class Planner {
  private readonly llm: LlmProvider;
  private readonly maxTokens: number;
  private readonly retry: PlannerRetry | undefined;
  private readonly prompts = new PlanningPrompts();

  constructor(options: PlannerOptions) {
    this.llm = options.llm;
    this.maxTokens = options.maxTokensPerCall;
    this.retry = options.retry;
  }

  async plan(goal: string, signal?: AbortSignal): Promise<PlanOutcome> {
    const trimmed = goal.trim();
    if (trimmed === '')
      return { ok: false, reason: 'planning failed: the goal is empty', tokensUsed: 0, retryable: false };
    let tokensUsed = 0;
    let waitedMs = 0;
    const call = async (messages: ChatMessage[]): Promise<Completion> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const completion = await this.llm.complete({ messages, maxTokens: this.maxTokens, signal });
          tokensUsed += completion.promptTokens + completion.completionTokens;
          return completion;
        } catch (error) {
          const retry = this.retry;
          if (!retry || retry.attempts <= 1 || !isLlmError(error) || error.kind === 'permanent') throw error;
          if (attempt >= retry.attempts)
            throw new CallFailed(`planning failed: gave up after ${attempt} attempts: ${error.message}`, error);
          if (tokensUsed + countMessageTokens(messages) + this.maxTokens > retry.tokenBudget) {
            const why = `the retry could pass the planning budget of ${retry.tokenBudget} tokens`;
            throw new CallFailed(`planning failed: ${error.message} (not retried: ${why})`, error);
          }
          const waitMs = backoffDelayMs(retry.backoffMs, attempt, error);
          if (waitedMs + waitMs > retry.maxWaitMs) {
            const why = `waiting ${waitMs} ms would pass the ${retry.maxWaitMs} ms planning may wait`;
            throw new CallFailed(`planning failed: ${error.message} (not retried: ${why})`, error);
          }
          waitedMs += waitMs;
          await (retry.sleep ?? sleep)(waitMs, signal);
        }
      }
    };

    try {
      const architecture = (await call(this.prompts.architect(trimmed))).text.trim();
      let answer = await call(this.prompts.planner(trimmed, architecture));
      let parsed = parsePlan(answer.text);
      if (!parsed.ok) {
        answer = await call(this.prompts.plannerRepair(trimmed, answer.text, withCutOff(parsed.problems, answer)));
        parsed = parsePlan(answer.text);
      }
      if (!parsed.ok) {
        const problems = withCutOff(parsed.problems, answer).join('; ');
        return {
          ok: false,
          reason: `the model's plan was invalid after one repair: ${problems}`,
          tokensUsed,
          retryable: false,
        };
      }
      return { ok: true, plan: parsed.plan, architecture, tokensUsed, provider: answer.provider, model: answer.model };
    } catch (error) {
      const failed =
        error instanceof CallFailed
          ? error
          : isLlmError(error)
            ? new CallFailed(`planning failed: ${error.message}`, error)
            : undefined;
      if (!failed) throw error;
      return {
        ok: false,
        reason: failed.reason,
        tokensUsed,
        retryable: failed.llmError.kind !== 'permanent',
        cause: failed.llmError,
      };
    }
  }
}

/** A cut-off answer explains most JSON errors; say so, so the repair is shorter rather than the same. */
const withCutOff = (problems: readonly string[], answer: Completion): string[] =>
  answer.finishReason === 'length'
    ? [...problems, `the answer was cut off at the ${answer.completionTokens}-token limit: write a shorter plan`]
    : [...problems];
