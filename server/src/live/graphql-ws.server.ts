import type { Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { adminTokenHeader, type IdentityOptions, identify, type RequestHeaders, tenantHeader } from '../auth/identity';
import type { RequestContext } from '../context';

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
export const wsCloseCodes = { unauthorized: 4401, forbidden: 4403 } as const;

export interface GraphqlWsOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly identity: IdentityOptions;
  readonly contextFor: (headers: RequestHeaders) => RequestContext;
  /** Told when an accepted socket opens (+1) and closes (-1). */
  readonly onConnectionCount?: (delta: 1 | -1) => void;
  /** The same masking as over HTTP: typed codes pass, anything unexpected is INTERNAL_SERVER_ERROR. */
  readonly formatError: (formatted: GraphQLFormattedError, thrown: unknown) => GraphQLFormattedError;
  /** Errors to refuse an operation with before it runs (the generated reads' argument ranges), or none. */
  readonly checkOperation?: (payload: {
    readonly query: string;
    readonly operationName?: string | null | undefined;
    readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  }) => GraphQLError[];
}

/**
 * graphql-ws on the HTTP server's port. The socket carries the same identity as HTTP requests —
 * browsers cannot set headers on a WebSocket, so `connectionParams` may carry them — and it is
 * verified on connect with the same rules: no identity closes with 4401, a malformed one with 4403.
 */
export const attachGraphqlWs = ({
  httpServer,
  path,
  schema,
  identity,
  contextFor,
  onConnectionCount = () => {},
  formatError,
  checkOperation = () => [],
}: GraphqlWsOptions) => {
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const wsServer = new WebSocketServer({ server: httpServer, path });
  const headersOf = (params: Readonly<Record<string, unknown>> | undefined, request: { headers: RequestHeaders }) => {
    const param = (name: string) => (typeof params?.[name] === 'string' ? (params[name] as string) : undefined);
    return {
      [tenantHeader]: param(tenantHeader) ?? param('tenantId') ?? request.headers[tenantHeader],
      [adminTokenHeader]: param(adminTokenHeader) ?? request.headers[adminTokenHeader],
    };
  };
  return useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: (ctx) => {
        try {
          if (identify(headersOf(ctx.connectionParams, ctx.extra.request), identity)) {
            onConnectionCount(1);
            return true;
          }
          ctx.extra.socket.close(
            wsCloseCodes.unauthorized,
            `Unauthorized: name your tenant in connectionParams["${tenantHeader}"]`,
          );
        } catch (error) {
          ctx.extra.socket.close(wsCloseCodes.forbidden, `Forbidden: ${(error as Error).message}`.slice(0, 120));
        }
        return false;
      },
      // Called only for sockets onConnect accepted.
      onDisconnect: () => onConnectionCount(-1),
      context: (ctx) => contextFor(headersOf(ctx.connectionParams, ctx.extra.request)),
      // Operations over the socket answer errors exactly as over HTTP, never with a raw message.
      onSubscribe: (_ctx, _id, payload) => {
        const refused = checkOperation(payload);
        return refused.length > 0 ? refused : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors.map(asRequestError)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
  );
};
