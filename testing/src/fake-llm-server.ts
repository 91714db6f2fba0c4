import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { countMessageTokens, countTokens, truncateToTokens } from '@ai-org/core';

/** What the server does with one request. */
export type FakeBehaviour =
  /** A proper chat.completion; honours `max_tokens` by cutting the text and answering finish_reason 'length'. */
  | { kind: 'ok'; text?: string; usage?: boolean; finishReason?: string; model?: string }
  /** An error status, e.g. 429 with `retryAfter: '2'`, 500, 400, 401. `body` defaults to an OpenAI-style error. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string | object }
  /** 200 with a broken body, served as `contentType` (default application/json). */
  | { kind: 'malformed'; body: string; contentType?: string }
  /** Waits `delayMs` before answering with `then` (default ok). */
  | { kind: 'slow'; delayMs: number; then?: FakeBehaviour }
  /** Sends 200 and headers at once, the ok body only after `delayMs`. */
  | { kind: 'stall-body'; delayMs: number }
  /** Answers nothing until `release()`, then `then` (default ok). */
  | { kind: 'hold'; then?: FakeBehaviour }
  /**
   * The model calls tools: `message.tool_calls` (with `text` as the content, else null) and
   * finish_reason 'tool_calls'. Ignores `max_tokens`. Ids default to `call_<request number>_<index>`.
   */
  | { kind: 'tool_calls'; calls: readonly FakeToolCall[]; text?: string; usage?: boolean };

/** A call the fake model makes; `arguments` is sent through JSON.stringify unless it is a string already. */
export interface FakeToolCall {
  readonly name: string;
  readonly arguments: unknown;
  readonly id?: string;
}

/** A tool call as OpenAI's wire format carries it, in answers and in the assistant turns sent back. */
export interface FakeWireToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** A message as received: system/user text, an assistant turn (content null beside tool calls), a tool result. */
export interface FakeChatMessage {
  readonly role: string;
  readonly content: string | null;
  readonly tool_calls?: readonly FakeWireToolCall[];
  readonly tool_call_id?: string;
}

/** A request body as received (OpenAI chat.completions fields, plus whatever else was sent). */
export interface FakeChatRequest {
  readonly model?: string;
  readonly messages?: readonly FakeChatMessage[];
  readonly max_tokens?: number;
  readonly tools?: readonly {
    readonly type: string;
    readonly function: { readonly name: string; readonly description?: string; readonly parameters?: unknown };
  }[];
  readonly tool_choice?: unknown;
  readonly [field: string]: unknown;
}

export interface FakeLlmServer {
  /** Base URL for the openai client, ending in `/v1`. */
  readonly url: string;
  readonly requests: readonly FakeChatRequest[];
  /** Queues behaviours, consumed one per request in arrival order (from any process). */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** What a request gets once the queue is empty (initially `{ kind: 'ok' }`). */
  setDefault(behaviour: FakeBehaviour): void;
  /**
   * Answers by content, before the queue and the default: a responder returning undefined lets the
   * request fall through to them. Lets a test serve several kinds of calls (architect, planner, agents)
   * by their system prompt, whatever order they arrive in. `undefined` removes it.
   */
  setResponder(responder: FakeResponder | undefined): void;
  /** Resolves once `count` requests (in total) have arrived. */
  waitForRequest(count?: number): Promise<void>;
  /** Lets every held request answer. */
  release(): void;
  close(): Promise<void>;
}

/** Chooses a behaviour from the request itself; undefined = no opinion. */
export type FakeResponder = (request: FakeChatRequest) => FakeBehaviour | undefined;

export const fakeAnswer = 'This is the fake LLM server answering the task.';

const sendJson = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  if (res.destroyed || res.writableEnded) return; // the client gave up (timeout, kill -9)
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
};

/** Prompt tokens as this server reports them: each message's text, tool calls as their JSON. */
const promptTokensOf = (request: FakeChatRequest): number =>
  countMessageTokens(
    (request.messages ?? []).map(({ role, content, tool_calls }) => ({
      role,
      content: (content ?? '') + (tool_calls?.length ? JSON.stringify(tool_calls) : ''),
    })),
  );

interface Answer {
  readonly message: { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: unknown };
  readonly finishReason: string;
  readonly completionTokens: number;
  readonly model?: string;
  readonly usage?: boolean;
}

const chatCompletion = (answer: Answer, request: FakeChatRequest): string => {
  const promptTokens = promptTokensOf(request);
  return JSON.stringify({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: answer.model ?? request.model ?? 'fake-model',
    choices: [{ index: 0, message: answer.message, finish_reason: answer.finishReason, logprobs: null }],
    ...(answer.usage === false
      ? {}
      : {
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: answer.completionTokens,
            total_tokens: promptTokens + answer.completionTokens,
          },
        }),
  });
};

const completionBody = (behaviour: Extract<FakeBehaviour, { kind: 'ok' }>, request: FakeChatRequest): string => {
  const cap = request.max_tokens ?? Number.POSITIVE_INFINITY;
  const { text, truncated } = truncateToTokens(behaviour.text ?? fakeAnswer, cap);
  const finishReason = truncated ? 'length' : (behaviour.finishReason ?? 'stop');
  const message = { role: 'assistant', content: text } as const;
  return chatCompletion({ ...behaviour, message, finishReason, completionTokens: countTokens(text) }, request);
};

const toolCallsBody = (
  behaviour: Extract<FakeBehaviour, { kind: 'tool_calls' }>,
  request: FakeChatRequest,
  requestNumber: number,
): string => {
  const calls: FakeWireToolCall[] = behaviour.calls.map((call, index) => ({
    id: call.id ?? `call_${requestNumber}_${index}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const content = behaviour.text ?? null;
  const message = { role: 'assistant', content, tool_calls: calls } as const;
  const completionTokens = countTokens(content ?? '') + countTokens(JSON.stringify(calls));
  return chatCompletion({ message, finishReason: 'tool_calls', completionTokens, usage: behaviour.usage }, request);
};

const errorBody = (status: number): string =>
  JSON.stringify({ error: { message: `fake error ${status}`, type: 'fake_error', code: null } });

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const startFakeLlmServer = async (): Promise<FakeLlmServer> => {
  const requests: FakeChatRequest[] = [];
  const queue: FakeBehaviour[] = [];
  let fallback: FakeBehaviour = { kind: 'ok' };
  let responder: FakeResponder | undefined;
  let held: (() => void)[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];

  const answer = async (behaviour: FakeBehaviour, request: FakeChatRequest, res: ServerResponse): Promise<void> => {
    switch (behaviour.kind) {
      case 'ok':
        return sendJson(res, 200, completionBody(behaviour, request));
      case 'tool_calls':
        return sendJson(res, 200, toolCallsBody(behaviour, request, requests.indexOf(request) + 1));
      case 'status': {
        const body = behaviour.body ?? errorBody(behaviour.status);
        const headers: Record<string, string> = behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {};
        return sendJson(res, behaviour.status, typeof body === 'string' ? body : JSON.stringify(body), headers);
      }
      case 'malformed':
        return sendJson(res, 200, behaviour.body, { 'content-type': behaviour.contentType ?? 'application/json' });
      case 'slow':
        await delay(behaviour.delayMs);
        return answer(behaviour.then ?? { kind: 'ok' }, request, res);
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
        await delay(behaviour.delayMs);
        if (!res.destroyed) res.end(completionBody({ kind: 'ok' }, request));
        return;
      case 'hold':
        await new Promise<void>((resolve) => held.push(resolve));
        return answer(behaviour.then ?? { kind: 'ok' }, request, res);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, errorBody(404));
    let request: FakeChatRequest;
    try {
      request = JSON.parse(await readBody(req)) as FakeChatRequest;
    } catch {
      return sendJson(res, 400, errorBody(400));
    }
    requests.push(request);
    for (const waiter of waiters.filter(({ count }) => requests.length >= count)) waiter.resolve();
    waiters = waiters.filter(({ count }) => requests.length < count);
    await answer(responder?.(request) ?? queue.shift() ?? fallback, request, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const release = (): void => {
    const releasing = held;
    held = [];
    for (const resolve of releasing) resolve();
  };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...behaviours) => queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    setResponder: (next) => {
      responder = next;
    },
    waitForRequest: (count = 1) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    release,
    close: async () => {
      server.closeAllConnections();
      release();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};
