import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface OperationResult {
  readonly data?: unknown;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** Runs one operation over graphql-ws as `tenant` and resolves with its first result or its errors. */
export const wsOperation = async (wsUrl: string, tenant: string, query: string): Promise<OperationResult> => {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-tenant-id': tenant },
    retryAttempts: 0,
  });
  try {
    return await new Promise<OperationResult>((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (result) => resolve(result as OperationResult),
          error: (error) =>
            Array.isArray(error) ? resolve({ errors: error as OperationResult['errors'] }) : reject(error),
          complete: () => resolve({}),
        },
      );
    });
  } finally {
    await client.dispose();
  }
};

/** Opens a raw socket with `origin` (none when undefined): 'open', or the HTTP status that refused it. */
export const upgradeOutcome = (wsUrl: string, origin: string | undefined): Promise<'open' | number> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });

/** Sends one message of `bytes` bytes on a fresh socket; resolves with the close code. */
export const closeCodeAfterSending = (wsUrl: string, bytes: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(bytes) } })),
    );
    socket.once('close', (code) => resolve(code));
    socket.once('error', () => {}); // the close code is what is asserted
    setTimeout(() => reject(new Error('socket stayed open')), 30_000).unref();
  });
