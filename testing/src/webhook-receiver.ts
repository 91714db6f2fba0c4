import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a status (with headers), or no answer at all until the receiver closes. */
export type ReceiverReply = { readonly status: number; readonly headers?: Record<string, string> } | 'hang';

export interface ReceivedRequest {
  readonly path: string;
  readonly body: unknown;
  /** ms since epoch, on arrival */
  readonly at: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/<path>`; tests make the path secret-looking to look for it elsewhere. */
  url(path: string): string;
  /** Answers for the next requests to `path`, in order; after them, 200 (Slack's "ok"). */
  script(path: string, ...replies: ReceiverReply[]): void;
  /** Requests received (all, or to one path), hanging ones included. */
  received(path?: string): ReceivedRequest[];
  /** Requests being held unanswered right now. */
  hanging(): number;
  /** Forgets every script and answers held requests with 503 (before stopping workers). */
  release(): void;
  close(): Promise<void>;
}

/** A local stand-in for Slack's and Discord's incoming webhooks, started by a test. */
export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, ReceiverReply[]>();
  const held = new Set<ServerResponse>();

  const readBody = async (request: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };

  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = (request.url ?? '/').slice(1);
      received.push({ path, body, at: Date.now() });
      const reply = scripts.get(path)?.shift() ?? { status: 200 };
      if (reply === 'hang') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.status < 300 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path) => `http://127.0.0.1:${port}/${path}`,
    script: (path, ...replies) => scripts.set(path, [...(scripts.get(path) ?? []), ...replies]),
    received: (path) => received.filter((request) => path === undefined || request.path === path),
    hanging: () => held.size,
    release: () => {
      scripts.clear();
      for (const response of held) response.writeHead(503).end();
      held.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
