import { describe, expect, it } from 'vitest';
import { LlmTransientError } from './llm-errors';
import { parseCompletionBody, parseStepBody } from './openai-response';

const call = (id: string, name = 'run_tests', args = '{}') => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

/** A chat.completion body whose first choice carries `message`. */
const bodyWith = (message: Record<string, unknown>, finish = 'tool_calls') => ({
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});

const malformedError = (parse: () => unknown): Error => {
  try {
    parse();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a malformed response');
};

describe('parseStepBody', () => {
  it('reads tool calls with their ids, names and argument text, and content null', () => {
    const body = bodyWith({
      content: null,
      tool_calls: [call('call_a', 'write_file', '{"path":"a.ts"}'), call('call_b')],
    });
    expect(parseStepBody(body)).toEqual({
      text: null,
      toolCalls: [
        { id: 'call_a', name: 'write_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_b', name: 'run_tests', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      model: 'm',
      usage: { promptTokens: 12, completionTokens: 7 },
    });
  });

  it('keeps text written beside tool calls', () => {
    expect(parseStepBody(bodyWith({ content: 'Running the tests.', tool_calls: [call('c1')] }))).toMatchObject({
      text: 'Running the tests.',
      toolCalls: [{ id: 'c1' }],
    });
  });

  it('reads a text-only answer as no calls, whether tool_calls is absent, null or empty', () => {
    for (const toolCalls of [{}, { tool_calls: null }, { tool_calls: [] }]) {
      expect(parseStepBody(bodyWith({ content: 'Done.', ...toolCalls }, 'stop'))).toMatchObject({
        text: 'Done.',
        toolCalls: [],
        finishReason: 'stop',
      });
    }
  });

  it('accepts a call without `type` (some OpenAI-compatible servers leave it out)', () => {
    const { type: _type, ...untyped } = call('c1');
    expect(parseStepBody(bodyWith({ content: null, tool_calls: [untyped] })).toolCalls).toEqual([
      { id: 'c1', name: 'run_tests', arguments: '{}' },
    ]);
  });

  it('keeps arguments that are not valid JSON as the text the model wrote (the tool judges them)', () => {
    const body = bodyWith({ content: null, tool_calls: [call('c1', 'write_file', '{"path": ')] });
    expect(parseStepBody(body).toolCalls[0]?.arguments).toBe('{"path": ');
  });

  it('returns every call, however many (the provider caps them)', () => {
    const calls = Array.from({ length: 20 }, (_, i) => call(`c${i}`));
    expect(parseStepBody(bodyWith({ content: null, tool_calls: calls })).toolCalls).toHaveLength(20);
  });

  it.each([
    ['a body that is not an object', 'oops'],
    ['no choices', { choices: [] }],
    ['no message', { choices: [{ finish_reason: 'stop' }] }],
    ['content null and no tool calls', bodyWith({ content: null }, 'stop')],
    ['content null and an empty tool_calls', bodyWith({ content: null, tool_calls: [] })],
    ['content that is not text', bodyWith({ content: 42 })],
    ['tool_calls that is not an array', bodyWith({ content: null, tool_calls: { id: 'c1' } })],
    ['a call that is not an object', bodyWith({ content: null, tool_calls: ['run_tests'] })],
    ['a call without id', bodyWith({ content: null, tool_calls: [{ ...call('c1'), id: undefined }] })],
    ['a call with an empty id', bodyWith({ content: null, tool_calls: [call('')] })],
    ['a call of another type', bodyWith({ content: null, tool_calls: [{ ...call('c1'), type: 'custom' }] })],
    ['a call without function', bodyWith({ content: null, tool_calls: [{ id: 'c1', type: 'function' }] })],
    ['a call without a name', bodyWith({ content: null, tool_calls: [call('c1', '')] })],
    [
      'a call whose arguments are an object, not text',
      bodyWith({ content: null, tool_calls: [{ id: 'c1', function: { name: 'run_tests', arguments: {} } }] }),
    ],
    ['two calls with one id', bodyWith({ content: null, tool_calls: [call('c1'), call('c1', 'read_file')] })],
    ['a malformed call after good ones', bodyWith({ content: null, tool_calls: [call('c1'), { id: 'c2' }] })],
  ])('treats %s as a malformed response (LlmTransientError)', (_name, body) => {
    const error = malformedError(() => parseStepBody(body));
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error.message).toMatch(/^LLM malformed response: /);
  });

  it('names the call at fault', () => {
    const body = bodyWith({ content: null, tool_calls: [call('c1'), { id: 'c2', function: { name: 'x' } }] });
    expect(malformedError(() => parseStepBody(body)).message).toBe(
      'LLM malformed response: tool call 1 has no arguments text',
    );
  });

  it('passes finish_reason length through, and reads a missing one as unknown', () => {
    expect(parseStepBody(bodyWith({ content: 'half an ans' }, 'length')).finishReason).toBe('length');
    expect(parseStepBody({ choices: [{ message: { content: 'x' } }] })).toMatchObject({
      finishReason: 'unknown',
      model: undefined,
      usage: undefined,
    });
  });
});

describe('parseCompletionBody', () => {
  it('still requires text content, even beside tool calls', () => {
    const error = malformedError(() => parseCompletionBody(bodyWith({ content: null, tool_calls: [call('c1')] })));
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error.message).toBe('LLM malformed response: no message content');
  });
});
