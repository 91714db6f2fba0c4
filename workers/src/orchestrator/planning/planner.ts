import { type ChatMessage, type Completion, isLlmError, type LlmError, type LlmProvider } from '../../llm';
import { parsePlan } from './parse-plan';
import type { ModelPlan } from './plan-schema';
import { PlanningPrompts } from './planning-prompts';

/**
 * Completion cap that fits a 30-task plan with room to spare. The offline provider cuts its text at
 * the cap like a model would, so a much smaller one would truncate even its placeholder plan.
 */
export const defaultPlanningMaxTokens = 4_000;

export interface PlannerOptions {
  readonly llm: LlmProvider;
  /** Completion cap of each of the (two or three) calls. */
  readonly maxTokensPerCall: number;
}

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
 * the budget in a loop. LLM failures are returned, not thrown: the caller decides about retrying.
 */
export class Planner {
  private readonly llm: LlmProvider;
  private readonly maxTokens: number;
  private readonly prompts = new PlanningPrompts();

  constructor(options: PlannerOptions) {
    this.llm = options.llm;
    this.maxTokens = options.maxTokensPerCall;
  }

  async plan(goal: string, signal?: AbortSignal): Promise<PlanOutcome> {
    const trimmed = goal.trim();
    if (trimmed === '')
      return { ok: false, reason: 'planning failed: the goal is empty', tokensUsed: 0, retryable: false };
    let tokensUsed = 0;
    const call = async (messages: ChatMessage[]): Promise<Completion> => {
      const completion = await this.llm.complete({ messages, maxTokens: this.maxTokens, signal });
      tokensUsed += completion.promptTokens + completion.completionTokens;
      return completion;
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
      if (!isLlmError(error)) throw error;
      return {
        ok: false,
        reason: `planning failed: ${error.message}`,
        tokensUsed,
        retryable: error.kind !== 'permanent',
        cause: error,
      };
    }
  }
}

/** A cut-off answer explains most JSON errors; say so, so the repair is shorter rather than the same. */
const withCutOff = (problems: readonly string[], answer: Completion): string[] =>
  answer.finishReason === 'length'
    ? [...problems, `the answer was cut off at the ${answer.completionTokens}-token limit: write a shorter plan`]
    : [...problems];
