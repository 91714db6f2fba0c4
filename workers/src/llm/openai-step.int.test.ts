import { countMessageTokens, countTokens } from '@ai-org/core';
import { type FakeLlmServer, scriptedToolAgent, startFakeLlmServer } from '@ai-org/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmRateLimitedError, LlmTransientError } from './llm-errors';
import type { AgentMessage, ChatMessage, StepRequest, ToolDefinition } from './llm-provider';
import { maxToolCallsPerStep, OpenAiProvider } from './openai.provider';
import { countStepCompletionTokens, countStepPromptTokens } from './step-tokens';

const apiKey = 'sk-test-0123456789abcdef';
const tools: ToolDefinition[] = [
  {
    name: 'write_file',
    description: 'Writes a file in the workspace.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
    },
  },
  { name: 'run_tests', description: 'Runs the tests.', parameters: { type: 'object', properties: {} } },
];
const opening: ChatMessage[] = [
  { role: 'system', content: 'You are the dev agent.' },
  { role: 'user', content: 'Add a sum function' },
];
const request: StepRequest = { messages: opening, tools, maxTokens: 200 };

let server: FakeLlmServer;
let provider: OpenAiProvider;

beforeAll(async () => {
  server = await startFakeLlmServer();
  provider = new OpenAiProvider({ baseURL: server.url, apiKey, model: 'test-model', timeoutMs: 500 });
});

afterEach(() => server.setResponder(undefined));
afterAll(() => server.close());

/** The error `step` fails with. */
const failure = async (req: StepRequest = request): Promise<Error> => {
  try {
    await provider.step(req);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected step() to fail');
};

describe('OpenAiProvider.step against an OpenAI-compatible server', () => {
  it('returns the tool calls with their ids, names and argument text', async () => {
    server.enqueue({
      kind: 'tool_calls',
      calls: [
        { id: 'call_w', name: 'write_file', arguments: { path: 'sum.ts', content: 'export const sum = 1;' } },
        { name: 'run_tests', arguments: '{}' },
      ],
    });
    const step = await provider.step(request);
    expect(step).toMatchObject({
      text: null,
      toolCalls: [
        { id: 'call_w', name: 'write_file', arguments: '{"path":"sum.ts","content":"export const sum = 1;"}' },
        { id: expect.stringMatching(/^call_/), name: 'run_tests', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      tokenSource: 'usage',
      provider: 'openai',
      model: 'test-model',
    });
  });

  it('offers the tools as function tools with tool_choice auto and max_tokens', async () => {
    server.enqueue({ kind: 'tool_calls', calls: [{ name: 'run_tests', arguments: {} }] });
    await provider.step(request);
    expect(server.requests.at(-1)).toMatchObject({
      model: 'test-model',
      max_tokens: 200,
      tool_choice: 'auto',
      tools: tools.map(({ name, description, parameters }) => ({
        type: 'function',
        function: { name, description, parameters },
      })),
      messages: opening,
    });
  });

  it('sends assistant tool calls and tool results back in OpenAI format', async () => {
    server.enqueue({ kind: 'ok', text: 'Done.' });
    const messages: AgentMessage[] = [
      ...opening,
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_1', name: 'run_tests', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: '1 failed: sum(1, 2) returned 1' },
      { role: 'assistant', content: 'Fixed it.' },
      { role: 'user', content: 'Go on' },
    ];
    await provider.step({ ...request, messages });
    expect(server.requests.at(-1)?.messages).toEqual([
      ...opening,
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'run_tests', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '1 failed: sum(1, 2) returned 1' },
      { role: 'assistant', content: 'Fixed it.' },
      { role: 'user', content: 'Go on' },
    ]);
  });

  it('uses the usage the server reports (tokenSource usage)', async () => {
    server.enqueue({ kind: 'tool_calls', calls: [{ id: 'c1', name: 'run_tests', arguments: {} }] });
    const step = await provider.step(request);
    // The fake server counts the messages alone, we add the tools' JSON: the figures differ.
    const wireCall = [{ id: 'c1', type: 'function', function: { name: 'run_tests', arguments: '{}' } }];
    expect(step).toMatchObject({
      promptTokens: countMessageTokens(opening),
      completionTokens: countTokens(JSON.stringify(wireCall)),
      tokenSource: 'usage',
    });
    expect(step.promptTokens).not.toBe(countStepPromptTokens(opening, tools));
  });

  it('counts with the tokenizer when there is no usage, tool calls counting as completion', async () => {
    server.enqueue({
      kind: 'tool_calls',
      text: 'Writing it.',
      calls: [{ id: 'c1', name: 'write_file', arguments: { path: 'sum.ts', content: 'x' } }],
      usage: false,
    });
    const step = await provider.step(request);
    // Tools count as their JSON, the calls as the JSON of their names and arguments.
    const written = [{ name: 'write_file', arguments: '{"path":"sum.ts","content":"x"}' }];
    expect(step).toMatchObject({
      promptTokens: countMessageTokens(opening) + countTokens(JSON.stringify(tools)),
      completionTokens: countTokens('Writing it.') + countTokens(JSON.stringify(written)),
      tokenSource: 'tokenizer',
    });
  });

  it('parses a text-only answer (finish stop) as no tool calls', async () => {
    server.enqueue({ kind: 'ok', text: 'All tests pass.' });
    await expect(provider.step(request)).resolves.toMatchObject({
      text: 'All tests pass.',
      toolCalls: [],
      finishReason: 'stop',
    });
  });

  it('passes the finish reason length through when the answer is cut at maxTokens', async () => {
    server.enqueue({ kind: 'ok', text: 'one two three four five six seven eight' });
    const step = await provider.step({ ...request, maxTokens: 3 });
    expect(server.requests.at(-1)).toMatchObject({ max_tokens: 3 });
    expect(step).toMatchObject({ text: 'one two three', toolCalls: [], finishReason: 'length' });
  });

  it(`acts on the first ${maxToolCallsPerStep} calls of a step and counts the tokens of all`, async () => {
    const calls = Array.from({ length: maxToolCallsPerStep + 4 }, (_, i) => ({
      id: `c${i}`,
      name: 'run_tests',
      arguments: {},
    }));
    server.enqueue({ kind: 'tool_calls', calls, usage: false });
    const step = await provider.step(request);
    expect(step.toolCalls.map(({ id }) => id)).toEqual(calls.slice(0, maxToolCallsPerStep).map(({ id }) => id));
    const all = calls.map(({ id, name }) => ({ id, name, arguments: '{}' }));
    expect(step.completionTokens).toBe(countStepCompletionTokens(null, all));
  });

  it.each([
    ['a call without id', { id: undefined }],
    ['a call without a name', { function: { arguments: '{}' } }],
    ['a call whose arguments are an object', { function: { name: 'run_tests', arguments: {} } }],
    ['a call of another type', { type: 'custom' }],
  ])('maps %s to LlmTransientError (malformed response)', async (_name, fault) => {
    const call = { id: 'c1', type: 'function', function: { name: 'run_tests', arguments: '{}' }, ...fault };
    const body = { choices: [{ message: { role: 'assistant', content: null, tool_calls: [call] } }] };
    server.enqueue({ kind: 'malformed', body: JSON.stringify(body) });
    const error = await failure();
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error.message).toMatch(/^LLM malformed response: tool call 0/);
  });

  it('maps content null without tool calls to LlmTransientError (malformed response)', async () => {
    const body = { choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'stop' }] };
    server.enqueue({ kind: 'malformed', body: JSON.stringify(body) });
    await expect(failure()).resolves.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/malformed response/),
    });
  });

  it('maps 429 with Retry-After: 2 to LlmRateLimitedError(2000), without retrying', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '2' });
    const before = server.requests.length;
    const error = await failure();
    expect(error).toBeInstanceOf(LlmRateLimitedError);
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 2_000 });
    expect(server.requests.length).toBe(before + 1);
  });

  it('maps an answer slower than timeoutMs to LlmTransientError (the same deadline as complete)', async () => {
    server.enqueue({ kind: 'slow', delayMs: 2_000 });
    await expect(failure()).resolves.toMatchObject({ kind: 'transient', message: expect.stringMatching(/timed out/) });
  });

  it('plays a scripted conversation: a bug, a failing run, a fix read from the failure, a passing run', async () => {
    server.setResponder(
      scriptedToolAgent([
        [{ name: 'write_file', arguments: { path: 'sum.ts', content: 'export const sum = (a, b) => a - b;' } }],
        [{ name: 'run_tests', arguments: {} }],
        (_request, lastToolResult) =>
          lastToolResult?.includes('expected 3')
            ? {
                kind: 'tool_calls',
                calls: [
                  { name: 'write_file', arguments: { path: 'sum.ts', content: 'export const sum = (a, b) => a + b;' } },
                ],
              }
            : { kind: 'ok', text: 'I cannot see the failure.' },
        [{ name: 'run_tests', arguments: {} }],
        () => ({ kind: 'ok', text: 'Done: sum adds.' }),
      ]),
    );
    let code = '';
    const results: string[] = [];
    const messages: AgentMessage[] = [...opening];
    for (let turn = 0; turn < 6; turn++) {
      const step = await provider.step({ ...request, messages });
      messages.push({ role: 'assistant', content: step.text, toolCalls: step.toolCalls });
      if (step.toolCalls.length === 0) break;
      for (const call of step.toolCalls) {
        const args = JSON.parse(call.arguments) as { content?: string };
        if (call.name === 'write_file') code = args.content ?? '';
        const result = call.name === 'run_tests' ? (code.includes('+') ? 'passed' : 'expected 3, got -1') : 'written';
        results.push(result);
        messages.push({ role: 'tool', toolCallId: call.id, content: result });
      }
    }
    expect(results).toEqual(['written', 'expected 3, got -1', 'written', 'passed']);
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: 'Done: sum adds.', toolCalls: [] });
    expect(code).toBe('export const sum = (a, b) => a + b;');
  });
});
