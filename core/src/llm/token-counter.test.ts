import { encodeChat } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import type { CountableMessage } from './token-counter';
import { countMessageTokens, countTokens, truncateToTokens } from './token-counter';

describe('countTokens', () => {
  it('counts BPE tokens, not characters', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('')).toBe(0);
  });

  it('counts special-token markers in text as plain text instead of throwing', () => {
    expect(countTokens('before <|endoftext|> after')).toBeGreaterThan(3);
  });
});

describe('countMessageTokens', () => {
  const messages: CountableMessage[] = [
    { role: 'system', content: 'You are the dev agent.' },
    { role: 'user', content: 'Add a login endpoint' },
  ];

  it('adds three framing tokens per message plus its role, and three to prime the reply', () => {
    const content = countTokens('You are the dev agent.') + countTokens('Add a login endpoint');
    expect(countMessageTokens(messages)).toBe(content + 2 * (3 + 1) + 3);
    expect(countMessageTokens([])).toBe(3);
  });

  it("agrees with gpt-tokenizer's own chat encoding for gpt-4o", () => {
    expect(countMessageTokens(messages)).toBe(encodeChat(messages, 'gpt-4o').length);
  });
});

describe('truncateToTokens', () => {
  it('leaves text within the cap untouched', () => {
    expect(truncateToTokens('hello world', 2)).toEqual({ text: 'hello world', truncated: false });
  });

  it('cuts to the cap, token-accurately', () => {
    const text = 'one two three four five six seven eight nine ten';
    const { text: cut, truncated } = truncateToTokens(text, 4);
    expect(truncated).toBe(true);
    expect(cut).toBe('one two three four');
    expect(countTokens(cut)).toBe(4);
  });

  it('never leaves half a multi-byte character behind', () => {
    for (let cap = 0; cap <= 8; cap++) {
      const { text } = truncateToTokens('😀😀😀 日本語のテキスト', cap);
      expect(text).not.toContain('\uFFFD');
      expect(countTokens(text)).toBeLessThanOrEqual(cap);
    }
  });
});
