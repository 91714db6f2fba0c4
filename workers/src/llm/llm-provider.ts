/** A chat message sent to a model. */
export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

export interface CompletionRequest {
  readonly messages: readonly ChatMessage[];
  /** Hard cap on completion tokens, derived from the budget reservation. */
  readonly maxTokens: number;
  /** Lets the caller abandon a slow call (worker shutdown). */
  readonly signal?: AbortSignal;
}

export interface Completion {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** 'stop' = finished; 'length' = cut off at maxTokens; anything else as the provider said. */
  readonly finishReason: string;
  /** Where the token counts come from: the provider's `usage`, or our tokenizer. */
  readonly tokenSource: 'usage' | 'tokenizer';
  /** 'openai' (any OpenAI-compatible endpoint) or 'offline' (no model at all). */
  readonly provider: 'openai' | 'offline';
  readonly model: string;
}

/** Something that turns messages into a completion. Errors are LlmError subclasses (llm-errors.ts). */
export interface LlmProvider {
  readonly name: 'openai' | 'offline';
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}
