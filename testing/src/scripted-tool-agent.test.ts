import { describe, expect, it } from 'vitest';
import type { FakeChatMessage, FakeChatRequest } from './fake-llm-server';
import { lastToolResult, scriptedToolAgent } from './scripted-tool-agent';

const tools: FakeChatRequest['tools'] = [{ type: 'function', function: { name: 'run_tests' } }];
const opening: FakeChatMessage[] = [
  { role: 'system', content: 'You are the dev agent.' },
  { role: 'user', content: 'Add a sum function' },
];

/** The conversation after `turns` assistant turns, each a call answered by `result`. */
const after = (turns: number, result = 'ok'): FakeChatRequest => ({
  tools,
  messages: [
    ...opening,
    ...Array.from({ length: turns }, (_, i): FakeChatMessage[] => [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: `call_${i}_0`, type: 'function', function: { name: 'run_tests', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: `call_${i}_0`, content: `${result} ${i}` },
    ]).flat(),
  ],
});

const agent = scriptedToolAgent([
  [{ name: 'write_file', arguments: { path: 'a.ts' } }],
  [{ name: 'run_tests', arguments: {}, id: 'mine' }],
  (_request, last) => ({ kind: 'ok', text: `saw: ${last}` }),
]);

describe('scriptedToolAgent', () => {
  it('answers step n to a conversation holding n assistant turns', () => {
    expect(agent(after(0))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'write_file', arguments: { path: 'a.ts' }, id: 'call_0_0' }],
    });
    expect(agent(after(1))).toEqual({ kind: 'tool_calls', calls: [{ name: 'run_tests', arguments: {}, id: 'mine' }] });
  });

  it('gives a function step the last tool result', () => {
    expect(agent(after(2, 'failed'))).toEqual({ kind: 'ok', text: 'saw: failed 1' });
  });

  it('answers a repeated request (a retry, another worker) with the same step', () => {
    expect(agent(after(1))).toEqual(agent(after(1)));
  });

  it('lets requests without tools, and those past the script, fall through', () => {
    expect(agent({ messages: opening })).toBeUndefined();
    expect(agent({ messages: opening, tools: [] })).toBeUndefined();
    expect(agent(after(3))).toBeUndefined();
  });
});

describe('lastToolResult', () => {
  it('is the content of the last tool message, or undefined when there is none', () => {
    expect(lastToolResult(after(3, 'run'))).toBe('run 2');
    expect(lastToolResult({ messages: opening })).toBeUndefined();
  });
});
