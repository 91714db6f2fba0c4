import { httpStatusByCode } from '@ai-org/core';
import { GraphQLError } from 'graphql';
import { claimsOf, type IdentityOptions, identify, type RequestHeaders } from '../auth/identity';
import type { RequestContext, Services } from '../context';
import { classifyError } from './format-error';

/**
 * Builds a request context from request headers (or WebSocket connection params), for HTTP and WS alike.
 * `database` (NEO4J_DATABASE) is where the generated reads run: @neo4j/graphql 7 takes it from each
 * request's `sessionConfig`, not from its constructor; without it they use the server's default database.
 */
export const createContextFactory =
  (services: Services, options: IdentityOptions, database?: string) =>
  (headers: RequestHeaders): RequestContext => {
    try {
      const identity = identify(headers, options);
      return { identity, jwt: claimsOf(identity), services, ...(database ? { sessionConfig: { database } } : {}) };
    } catch (thrown) {
      const error = classifyError(thrown);
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, http: { status: httpStatusByCode[error.code] } },
      });
    }
  };
