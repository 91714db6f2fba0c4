import { setTimeout as delay } from 'node:timers/promises';
import { countMessageTokens, countTokens, truncateToTokens } from '@ai-org/core';
import { LlmTransientError } from './llm-errors';
import type { Completion, CompletionRequest, LlmProvider } from './llm-provider';
import { offlineDeliverable } from './offline-deliverable';

export interface OfflineProviderOptions {
  /** Pretend latency, to exercise timeouts and shutdown without a model. Default 0. */
  readonly latencyMs?: number;
}

/**
 * Runs the whole pipeline with no model and no key: a labelled, deterministic placeholder per agent
 * role, counted with the real tokenizer and cut at `maxTokens` like a model would be. The cap wins over
 * the label: with fewer tokens than the label needs, only the label's start survives.
 */
export class OfflineProvider implements LlmProvider {
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

  private async wait(signal: AbortSignal | undefined): Promise<void> {
    try {
      if (signal?.aborted) throw signal.reason;
      if (this.latencyMs > 0) await delay(this.latencyMs, undefined, { signal });
    } catch {
      throw new LlmTransientError('LLM request aborted by the caller');
    }
  }
}
