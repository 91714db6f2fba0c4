import type { Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { signInMessage } from '../auth/access';
import { credentialsFromConnection } from '../auth/credentials';
import { type Identity, invalidCredentialMessage } from '../auth/identity';
import type { ContextFactory } from '../graphql/context.factory';
import { type SocketIdentities, watchSocketIdentities } from './socket-identity';

/** graphql-ws reports a document that does not parse or validate as bare errors; Apollo names them so. */
const asRequestError = (error: GraphQLError): GraphQLError => {
  if (typeof error.extensions.code === 'string') return error;
  const code = error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
};

/** Close codes for a refused socket (the 44xx range graphql-ws leaves to applications). */
export const wsCloseCodes = { unauthorized: 4401, forbidden: 4403, tooMany: 4429 } as const;

export interface GraphqlWsOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly contextFor: ContextFactory;
  /** How often an open socket's credential is verified again (a revoked key closes it with 4403). */
  readonly recheckMs: number;
  /** Told when an accepted socket opens (+1) and closes (-1). */
  readonly onConnectionCount?: (delta: 1 | -1) => void;
  /** May the tenant open one more socket? Told when an accepted socket closes (`onSocketClosed`). */
  readonly onSocketOpened?: (identity: Identity) => boolean;
  readonly onSocketClosed?: (identity: Identity) => void;
  /** The same masking as over HTTP: typed codes pass, anything unexpected is INTERNAL_SERVER_ERROR. */
  readonly formatError: (formatted: GraphQLFormattedError, thrown: unknown) => GraphQLFormattedError;
  /** Largest message accepted, in bytes (the HTTP body limit); a larger one closes the socket with 1009. */
  readonly maxMessageBytes: number;
  /** Whether a browser page of `origin` may open the socket (no Origin header: not a browser, allowed). */
  readonly isAllowedOrigin: (origin: string | undefined, host: string | undefined) => boolean;
  /** Errors to refuse an operation with before it runs (the generated reads' argument ranges), or none. */
  readonly checkOperation?: (payload: {
    readonly query: string;
    readonly operationName?: string | null | undefined;
    readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  }) => GraphQLError[];
}

/**
 * graphql-ws on the HTTP server's port. The socket carries the same credential as HTTP requests —
 * browsers cannot set headers on a WebSocket, so `connectionParams` may carry them — verified on
 * connect with the same rules (none closes with 4401, an invalid one with 4403), again on every
 * subscribe and every `recheckMs` while open: a revoked key or an expired token closes it with 4403.
 */
export const attachGraphqlWs = ({
  httpServer,
  path,
  schema,
  contextFor,
  recheckMs,
  onConnectionCount = () => {},
  onSocketOpened = () => true,
  onSocketClosed = () => {},
  formatError,
  checkOperation = () => [],
  maxMessageBytes,
  isAllowedOrigin,
}: GraphqlWsOptions) => {
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const wsServer = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload: maxMessageBytes,
    // A page of another site must not act with the visitor's credential: refused with 403 before the upgrade.
    verifyClient: ({ origin, req }, done) =>
      isAllowedOrigin(origin, req.headers.host) ? done(true) : done(false, 403, 'Origin not allowed'),
  });
  const sockets: SocketIdentities = watchSocketIdentities({ recheckMs });
  const server = useServer<Record<string, unknown>, { identity?: Identity }>(
    {
      schema,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const credentials = credentialsFromConnection(ctx.connectionParams, request.headers);
        const address = request.socket.remoteAddress ?? 'unknown';
        const verify = async () => (await contextFor(credentials, address)).identity;
        try {
          const identity = await verify();
          if (!identity) {
            socket.close(wsCloseCodes.unauthorized, 'Unauthorized: send your credential in connectionParams');
            return false;
          }
          if (!onSocketOpened(identity)) {
            socket.close(wsCloseCodes.tooMany, 'Too many open sockets for this tenant');
            return false;
          }
          ctx.extra.identity = identity;
          sockets.watch(socket, identity, verify, (reason) => socket.close(wsCloseCodes.forbidden, reason));
          onConnectionCount(1);
          return true;
        } catch (error) {
          // No credential (token mode): 4401, as for no identity at all; one that does not verify: 4403.
          const message = (error as Error).message;
          socket.close(
            message === signInMessage ? wsCloseCodes.unauthorized : wsCloseCodes.forbidden,
            message.slice(0, 120),
          );
          return false;
        }
      },
      // Called only for sockets onConnect accepted.
      onDisconnect: (ctx) => {
        sockets.forget(ctx.extra.socket);
        if (ctx.extra.identity) onSocketClosed(ctx.extra.identity);
        onConnectionCount(-1);
      },
      onClose: (ctx) => sockets.forget(ctx.extra.socket),
      context: (ctx) => contextFor.forIdentity(ctx.extra.identity),
      // Operations over the socket answer errors exactly as over HTTP, never with a raw message.
      onSubscribe: async (ctx, _id, payload) => {
        const refused = checkOperation(payload);
        if (refused.length > 0) return refused;
        // The credential is verified again before any operation starts (revoked keys, expired tokens).
        const identity = await sockets.reverify(ctx.extra.socket);
        if (!identity) return [new GraphQLError(invalidCredentialMessage, { extensions: { code: 'UNAUTHENTICATED' } })];
        ctx.extra.identity = identity;
        return undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors.map(asRequestError)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
  );
  return {
    dispose: async () => {
      sockets.close();
      await server.dispose();
    },
  };
};
