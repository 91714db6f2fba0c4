import { LlmTransientError } from './llm-errors';
import type { ToolCall } from './llm-provider';

type Usage = { readonly promptTokens: number; readonly completionTokens: number };

/** The parts of a chat.completion body we use, checked rather than trusted. */
export interface ParsedCompletion {
  readonly text: string;
  readonly finishReason: string;
  readonly model: string | undefined;
  readonly usage: Usage | undefined;
}

/** A tool-using step's body: text and/or every tool call the model wrote, checked. */
export interface ParsedStep {
  readonly text: string | null;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string;
  readonly model: string | undefined;
  readonly usage: Usage | undefined;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

const isName = (value: unknown): value is string => typeof value === 'string' && value !== '';

const malformed = (why: string): LlmTransientError => new LlmTransientError(`LLM malformed response: ${why}`);

const usageOf = (usage: unknown): Usage | undefined =>
  isObject(usage) && isCount(usage.prompt_tokens) && isCount(usage.completion_tokens)
    ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }
    : undefined;

/** The first choice's message, and what every parsed body carries besides it. */
const firstChoice = (body: unknown): { message: Json } & Omit<ParsedCompletion, 'text'> => {
  if (!isObject(body)) throw malformed('body is not a JSON object');
  const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isObject(choice)) throw malformed('no choices');
  if (!isObject(choice.message)) throw malformed('no message');
  return {
    message: choice.message,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
    model: typeof body.model === 'string' && body.model !== '' ? body.model : undefined,
    usage: usageOf(body.usage),
  };
};

/**
 * The openai client hands back whatever a 200 carried: `{}` and `null` as they are, and a body served
 * as text/plain as a string. OpenAI-compatible servers vary, so each field we need is checked here; a
 * body without them is transient (a proxy or an overloaded server), not a bug in our request.
 */
export const parseCompletionBody = (body: unknown): ParsedCompletion => {
  const { message, ...rest } = firstChoice(body);
  if (typeof message.content !== 'string') throw malformed('no message content');
  return { text: message.content, ...rest };
};

/** One entry of `message.tool_calls`: a function call with an id, a name and its arguments' JSON text. */
const toolCallOf = (call: unknown, index: number): ToolCall => {
  const where = `tool call ${index}`;
  if (!isObject(call)) throw malformed(`${where} is not an object`);
  if (!isName(call.id)) throw malformed(`${where} has no id`);
  if (call.type !== undefined && call.type !== 'function') throw malformed(`${where} is not a function call`);
  const fn = call.function;
  if (!isObject(fn) || !isName(fn.name)) throw malformed(`${where} has no function name`);
  if (typeof fn.arguments !== 'string') throw malformed(`${where} has no arguments text`);
  return { id: call.id, name: fn.name, arguments: fn.arguments };
};

const toolCallsOf = (raw: unknown): ToolCall[] => {
  // Some OpenAI-compatible servers send `tool_calls: null` (or leave it out) when there are none.
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw malformed('tool_calls is not an array');
  const calls = raw.map(toolCallOf);
  // Tool results are matched to calls by id: two calls with one id could not both be answered.
  if (new Set(calls.map(({ id }) => id)).size !== calls.length) throw malformed('tool call ids repeat');
  return calls;
};

/**
 * A step's body: `content` a string or null (left out counts as null), `tool_calls` an array of
 * function calls or absent; at least one of the two. Arguments stay the text the model wrote: whether
 * they are valid JSON for the tool is the tool's business, and the model can be told and try again.
 * Every call is returned; how many a step may act on is the caller's policy.
 */
export const parseStepBody = (body: unknown): ParsedStep => {
  const { message, ...rest } = firstChoice(body);
  const content = message.content ?? null;
  if (content !== null && typeof content !== 'string') throw malformed('message content is not text');
  const toolCalls = toolCallsOf(message.tool_calls);
  if (content === null && toolCalls.length === 0) throw malformed('neither message content nor tool calls');
  return { text: content, toolCalls, ...rest };
};
