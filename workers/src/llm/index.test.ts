import { describe, expect, it } from 'vitest';
import { createLlmProvider } from './index';

describe('createLlmProvider', () => {
  it('uses the OpenAI-compatible provider when an API key is set', () => {
    const provider = createLlmProvider({ apiKey: 'sk-test', model: 'gpt-4o-mini', timeoutMs: 1_000 });
    expect(provider).toMatchObject({ name: 'openai', model: 'gpt-4o-mini' });
  });

  it('falls back to the offline provider without a key', () => {
    expect(createLlmProvider({ model: 'gpt-4o-mini', timeoutMs: 1_000 })).toMatchObject({ name: 'offline' });
    expect(createLlmProvider({ apiKey: '', model: 'gpt-4o-mini', timeoutMs: 1_000 }).name).toBe('offline');
  });
});
