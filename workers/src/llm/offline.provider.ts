import { setTimeout as delay } from 'node:timers/promises';
import { countMessageTokens, countTokens, truncateToTokens } from '@ai-org/core';
import { LlmTransientError } from './llm-errors';
import type {
  Completion,
  CompletionRequest,
  LlmProvider,
  StepRequest,
  StepResponse,
  ToolStepProvider,
} from './llm-provider';
import { offlineDeliverable, offlineLabel } from './offline-deliverable';
import { offlineStep } from './offline-engineer/offline-engineer';
import { countStepCompletionTokens, countStepPromptTokens } from './step-tokens';

export interface OfflineProviderOptions {
  /** Pretend latency, to exercise timeouts and shutdown without a model. Default 0. */
  readonly latencyMs?: number;
}

/**
 * Runs the whole pipeline with no model and no key: a labelled, deterministic placeholder per agent
 * role, counted with the real tokenizer and cut at `maxTokens` like a model would be. The cap wins over
 * the label: with fewer tokens than the label needs, only the label's start survives.
 */
export class OfflineProvider implements LlmProvider, ToolStepProvider {
  readonly name = 'offline';
  readonly model = 'offline';
  private readonly latencyMs: number;

  constructor(options: OfflineProviderOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    await this.wait(request.signal);
    const { text, truncated } = truncateToTokens(offlineDeliverable(request.messages), request.maxTokens);
    return {
      text,
      promptTokens: countMessageTokens(request.messages),
      completionTokens: countTokens(text),
      finishReason: truncated ? 'length' : 'stop',
      tokenSource: 'tokenizer',
      provider: 'offline',
      model: this.model,
    };
  }

  /**
   * A tool-using step of the offline engineer (offline-engineer/): deterministic calls read off the
   * conversation, counted like any step without `usage` (step-tokens.ts). A step whose calls would exceed `maxTokens` is answered as cut off ('length', no calls),
   * as a model's would be.
   */
  async step(request: StepRequest): Promise<StepResponse> {
    await this.wait(request.signal);
    const step = offlineStep(request);
    const text = step.text === null ? null : `${offlineLabel}\n${step.text}`;
    const answer = { tokenSource: 'tokenizer', provider: 'offline', model: this.model } as const;
    const promptTokens = countStepPromptTokens(request.messages, request.tools);
    const completionTokens = countStepCompletionTokens(text, step.toolCalls);
    if (completionTokens > request.maxTokens) {
      const cut = truncateToTokens(text ?? '', request.maxTokens).text;
      const cutText = cut === '' ? null : cut;
      return {
        ...answer,
        text: cutText,
        toolCalls: [],
        promptTokens,
        completionTokens: countTokens(cut),
        finishReason: 'length',
      };
    }
    const finishReason = step.toolCalls.length > 0 ? 'tool_calls' : 'stop';
    return { ...answer, text, toolCalls: step.toolCalls, promptTokens, completionTokens, finishReason };
  }

  private async wait(signal: AbortSignal | undefined): Promise<void> {
    try {
      if (signal?.aborted) throw signal.reason;
      if (this.latencyMs > 0) await delay(this.latencyMs, undefined, { signal });
    } catch {
      throw new LlmTransientError('LLM request aborted by the caller');
    }
  }
}
