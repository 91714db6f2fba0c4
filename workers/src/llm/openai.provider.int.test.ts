import { createServer } from 'node:net';
import { countMessageTokens, countTokens } from '@ai-org/core';
import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmPermanentError, LlmRateLimitedError, LlmTransientError } from './llm-errors';
import type { ChatMessage, CompletionRequest } from './llm-provider';
import { OpenAiProvider } from './openai.provider';

const apiKey = 'sk-test-0123456789abcdef';
const messages: ChatMessage[] = [
  { role: 'system', content: 'You are the dev agent.' },
  { role: 'user', content: 'Add a login endpoint' },
];
const request: CompletionRequest = { messages, maxTokens: 100 };

let server: FakeLlmServer;
let provider: OpenAiProvider;

beforeAll(async () => {
  server = await startFakeLlmServer();
  provider = new OpenAiProvider({ baseURL: server.url, apiKey, model: 'test-model', timeoutMs: 500 });
});

afterAll(() => server.close());

/** The error `complete` fails with. */
const failure = async (req: CompletionRequest = request): Promise<Error> => {
  try {
    await provider.complete(req);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected complete() to fail');
};

describe('OpenAiProvider against an OpenAI-compatible server', () => {
  it('returns the text and the token counts the server reports (tokenSource usage)', async () => {
    server.enqueue({ kind: 'ok' });
    await expect(provider.complete(request)).resolves.toEqual({
      text: fakeAnswer,
      promptTokens: countMessageTokens(messages),
      completionTokens: countTokens(fakeAnswer),
      finishReason: 'stop',
      tokenSource: 'usage',
      provider: 'openai',
      model: 'test-model',
    });
    expect(server.requests.at(-1)).toMatchObject({ model: 'test-model', messages });
  });

  it('counts tokens with the tokenizer when the server sends no usage (tokenSource tokenizer)', async () => {
    server.enqueue({ kind: 'ok', text: 'Done.', usage: false });
    await expect(provider.complete(request)).resolves.toMatchObject({
      text: 'Done.',
      promptTokens: countMessageTokens(messages),
      completionTokens: countTokens('Done.'),
      tokenSource: 'tokenizer',
    });
  });

  it('reports the model the server says answered', async () => {
    server.enqueue({ kind: 'ok', model: 'llama3.1:8b-instruct-q4' });
    await expect(provider.complete(request)).resolves.toMatchObject({ model: 'llama3.1:8b-instruct-q4' });
  });

  it('forwards maxTokens as max_tokens and reports the cut-off as finishReason length', async () => {
    server.enqueue({ kind: 'ok', text: 'one two three four five six seven eight' });
    const completion = await provider.complete({ messages, maxTokens: 3 });
    expect(server.requests.at(-1)).toMatchObject({ max_tokens: 3 });
    expect(server.requests.at(-1)).not.toHaveProperty('max_completion_tokens');
    expect(completion).toMatchObject({ text: 'one two three', completionTokens: 3, finishReason: 'length' });
  });

  it('maps 429 with Retry-After: 2 to LlmRateLimitedError(2000), without retrying', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '2' });
    const before = server.requests.length;
    const error = await failure();
    expect(error).toBeInstanceOf(LlmRateLimitedError);
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 2_000 });
    expect(server.requests.length).toBe(before + 1);
  });

  it('maps 429 without Retry-After to LlmRateLimitedError(5000)', async () => {
    server.enqueue({ kind: 'status', status: 429 });
    await expect(failure()).resolves.toMatchObject({ kind: 'rate-limited', retryAfterMs: 5_000 });
  });

  it.each([500, 502, 503, 408, 409])('maps %i to LlmTransientError, without retrying', async (status) => {
    server.enqueue({ kind: 'status', status });
    const before = server.requests.length;
    expect(await failure()).toBeInstanceOf(LlmTransientError);
    expect(server.requests.length).toBe(before + 1);
  });

  it.each([400, 401, 403, 404, 422])('maps %i to LlmPermanentError that never shows the API key', async (status) => {
    const body = { error: { message: `Incorrect API key provided: ${apiKey}`, type: 'invalid_request_error' } };
    server.enqueue({ kind: 'status', status, body });
    const error = await failure();
    expect(error).toBeInstanceOf(LlmPermanentError);
    expect(error).toMatchObject({ kind: 'permanent', status });
    expect(error.message).toContain(`status ${status}`);
    expect(error.message).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it.each([
    ['non-JSON declared as JSON', 'this is not json', 'application/json'],
    ['non-JSON declared as text', 'this is not json', 'text/plain'],
    ['an empty body', '', 'application/json'],
    ['null', 'null', 'application/json'],
    ['{}', '{}', 'application/json'],
    ['no choices', '{"choices":[]}', 'application/json'],
    ['no message content', '{"choices":[{"message":{"role":"assistant","content":null}}]}', 'application/json'],
  ])('maps a 200 with %s to LlmTransientError (malformed response)', async (_name, body, contentType) => {
    server.enqueue({ kind: 'malformed', body, contentType });
    const error = await failure();
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error.message).toMatch(/malformed response/);
  });

  // The server answers (ok) after 2 s, 4 × the provider's 500 ms timeout, on the same event loop as the
  // provider's timer: an error saying "timed out" instead of that answer shows the provider gave up
  // before the answer came, whatever the machine's speed (waiting for it would make complete() succeed).
  it('maps an answer slower than timeoutMs to LlmTransientError', async () => {
    server.enqueue({ kind: 'slow', delayMs: 2_000 });
    const error = await failure();
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error.message).toMatch(/timed out/);
  });

  it('times out a body that stalls after the headers (the client timeout alone would wait)', async () => {
    server.enqueue({ kind: 'stall-body', delayMs: 2_000 });
    await expect(failure()).resolves.toMatchObject({ kind: 'transient', message: expect.stringMatching(/timed out/) });
  });

  it('maps the caller aborting to LlmTransientError', async () => {
    server.enqueue({ kind: 'hold' });
    const controller = new AbortController();
    const before = server.requests.length;
    const pending = failure({ ...request, signal: controller.signal });
    await server.waitForRequest(before + 1);
    controller.abort();
    await expect(pending).resolves.toMatchObject({ kind: 'transient', message: expect.stringMatching(/aborted/) });
    server.release();
  });

  it('maps a refused connection to LlmTransientError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new OpenAiProvider({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey, model: 'm', timeoutMs: 500 });
    await expect(nowhere.complete(request)).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/connection failed/),
    });
  });
});
