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

/** What a model call used and who answered: the part a completion and a tool step share. */
export interface ModelUsage {
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

export interface Completion extends ModelUsage {
  readonly text: string;
}

/** Something that turns messages into a completion. Errors are LlmError subclasses (llm-errors.ts). */
export interface LlmProvider {
  readonly name: 'openai' | 'offline';
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}

/** A tool the model may call: OpenAI's function tool (name, description, JSON Schema of its arguments). */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** One call the model asked for; `arguments` is the JSON text the model wrote (checked by the tool). */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The messages of a tool-using conversation (OpenAI's chat format, camel-cased). */
export type AgentMessage =
  | ChatMessage
  | { readonly role: 'assistant'; readonly content: string | null; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

export interface StepRequest {
  readonly messages: readonly AgentMessage[];
  readonly tools: readonly ToolDefinition[];
  /** Hard cap on completion tokens, derived from the step's budget reservation. */
  readonly maxTokens: number;
  readonly signal?: AbortSignal;
}

/** One model step: text and/or tool calls ('tool_calls' as its finish reason when it made some). */
export interface StepResponse extends ModelUsage {
  readonly text: string | null;
  readonly toolCalls: readonly ToolCall[];
}

/** A provider that can take tool-using steps (both of ours can). Errors are LlmError subclasses. */
export interface ToolStepProvider {
  readonly name: 'openai' | 'offline';
  readonly model: string;
  step(request: StepRequest): Promise<StepResponse>;
}
