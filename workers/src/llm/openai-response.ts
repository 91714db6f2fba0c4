import { LlmTransientError } from './llm-errors';

/** The parts of a chat.completion body we use, checked rather than trusted. */
export interface ParsedCompletion {
  readonly text: string;
  readonly finishReason: string;
  readonly model: string | undefined;
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number } | undefined;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

const malformed = (why: string): LlmTransientError => new LlmTransientError(`LLM malformed response: ${why}`);

const usageOf = (usage: unknown): ParsedCompletion['usage'] =>
  isObject(usage) && isCount(usage.prompt_tokens) && isCount(usage.completion_tokens)
    ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }
    : undefined;

/**
 * The openai client hands back whatever a 200 carried: `{}` and `null` as they are, and a body served
 * as text/plain as a string. OpenAI-compatible servers vary, so each field we need is checked here; a
 * body without them is transient (a proxy or an overloaded server), not a bug in our request.
 */
export const parseCompletionBody = (body: unknown): ParsedCompletion => {
  if (!isObject(body)) throw malformed('body is not a JSON object');
  const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isObject(choice)) throw malformed('no choices');
  const message = choice.message;
  if (!isObject(message) || typeof message.content !== 'string') throw malformed('no message content');
  return {
    text: message.content,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
    model: typeof body.model === 'string' && body.model !== '' ? body.model : undefined,
    usage: usageOf(body.usage),
  };
};
