import type { FakeBehaviour, FakeChatRequest, FakeResponder, FakeToolCall } from './fake-llm-server';

/**
 * One step of a scripted tool-using model: the calls it makes, or a function choosing what to answer
 * from the request and the last tool result in it (e.g. fix the bug the failing test run reported).
 */
export type ScriptedStep =
  | readonly FakeToolCall[]
  | ((request: FakeChatRequest, lastToolResult: string | undefined) => FakeBehaviour);

/** The content of the conversation's last tool message, if there is one. */
export const lastToolResult = (request: FakeChatRequest): string | undefined =>
  request.messages?.findLast((message) => message.role === 'tool')?.content ?? undefined;

/**
 * A responder playing a model through a tool-using conversation: step n answers the request that
 * already holds n assistant turns. Stateless, so it serves any number of worker processes and retried
 * steps alike (a retry resends the same conversation and gets the same step). It answers only requests
 * offering `tools`; other requests, and those past the end of the script, fall through to the queue.
 * Calls without an id get `call_<step>_<index>`, unique within the conversation.
 */
export const scriptedToolAgent =
  (script: readonly ScriptedStep[]): FakeResponder =>
  (request) => {
    if (!request.tools?.length) return undefined;
    const step = request.messages?.filter((message) => message.role === 'assistant').length ?? 0;
    const scripted = script[step];
    if (scripted === undefined) return undefined;
    if (typeof scripted === 'function') return scripted(request, lastToolResult(request));
    const calls = scripted.map((call, index) => ({ ...call, id: call.id ?? `call_${step}_${index}` }));
    return { kind: 'tool_calls', calls };
  };
