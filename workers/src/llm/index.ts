import type { LlmProvider, ToolStepProvider } from './llm-provider';
import { OfflineProvider } from './offline.provider';
import { OpenAiProvider } from './openai.provider';

export { countMessageTokens, countTokens } from '@ai-org/core';
export { isLlmError, type LlmError, LlmPermanentError, LlmRateLimitedError, LlmTransientError } from './llm-errors';
export type {
  AgentMessage,
  ChatMessage,
  Completion,
  CompletionRequest,
  LlmProvider,
  StepRequest,
  StepResponse,
  ToolCall,
  ToolDefinition,
  ToolStepProvider,
} from './llm-provider';
export { OfflineProvider, type OfflineProviderOptions } from './offline.provider';
export { OpenAiProvider, type OpenAiProviderOptions } from './openai.provider';

export interface LlmProviderOptions {
  /** Unset or empty: no model at all, the offline provider answers. */
  readonly apiKey?: string;
  readonly baseURL?: string;
  readonly model: string;
  readonly timeoutMs: number;
}

/** A provider that can also take tool-using steps (ours both can; a test's stand-in may not). */
export const canTakeSteps = (llm: LlmProvider): llm is LlmProvider & ToolStepProvider =>
  typeof (llm as Partial<ToolStepProvider>).step === 'function';

/** The OpenAI-compatible provider when an API key is configured, else the offline one. */
export const createLlmProvider = (options: LlmProviderOptions): LlmProvider & ToolStepProvider =>
  options.apiKey
    ? new OpenAiProvider({
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        model: options.model,
        timeoutMs: options.timeoutMs,
      })
    : new OfflineProvider();
