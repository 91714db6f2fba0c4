import { countTokens as countBpe, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Counts with o200k_base, the BPE of GPT-4o and later OpenAI models. For other model families
 * (Llama, Qwen, Mistral...) served behind an OpenAI-compatible endpoint it is an approximation, but
 * a real tokenizer's, and it is only used when the server does not report `usage`.
 */

/**
 * Special-token markers such as `<|endoftext|>` in task text or model output are counted as the plain
 * text they are; by default gpt-tokenizer throws on them, and a prompt must never crash the count.
 */
const asPlainText = { disallowedSpecial: new Set<string>() };

/**
 * OpenAI's chat format wraps each message as `<|im_start|>{role}<|im_sep|>{content}<|im_end|>`: three
 * tokens plus the role's own tokens; and every reply is primed with `<|im_start|>assistant<|im_sep|>`,
 * three more. Same figures as the OpenAI cookbook ("How to count tokens with tiktoken").
 */
const tokensPerMessage = 3;
const tokensPerReplyPrimer = 3;

export const countTokens = (text: string): number => countBpe(text, asPlainText);

/** A chat message: the workers' prompts, or any turn an OpenAI-compatible test server receives. */
export interface CountableMessage {
  readonly role: string;
  readonly content: string;
}

/** Prompt tokens of a chat request, framing included. */
export const countMessageTokens = (messages: readonly CountableMessage[]): number =>
  messages.reduce(
    (sum, message) => sum + tokensPerMessage + countTokens(message.role) + countTokens(message.content),
    tokensPerReplyPrimer,
  );

export interface Truncated {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Cuts `text` to at most `maxTokens` tokens. Decoding a prefix can split a multi-byte character (the
 * decoder then yields U+FFFD) and re-encoding a prefix can differ from the prefix, so it backs off a
 * token at a time until the result both reads cleanly and re-counts within the cap.
 */
export const truncateToTokens = (text: string, maxTokens: number): Truncated => {
  const tokens = encode(text, asPlainText);
  if (tokens.length <= maxTokens) return { text, truncated: false };
  for (let keep = Math.floor(maxTokens); keep > 0; keep--) {
    const prefix = decode(tokens.slice(0, keep));
    if (!prefix.endsWith('\uFFFD') && countTokens(prefix) <= maxTokens) return { text: prefix, truncated: true };
  }
  return { text: '', truncated: true };
};
