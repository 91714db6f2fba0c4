import { AppError } from '@ai-org/core';
import type { GraphQLError } from 'graphql';
import { signInMessage } from '../auth/access';
import { type Authenticator, type Credentials, claimsOf, type Identity } from '../auth/identity';
import type { RequestContext, Services } from '../context';
import { toHttpGraphQLError } from '../limits/retry-after';
import { classifyError } from './format-error';

/**
 * A failure to build a context (bad credential, rate limit) as the typed GraphQL error clients get, with
 * its HTTP status and `Retry-After` (Apollo copies `extensions.http` to the response).
 */
export const asContextError = (thrown: unknown): GraphQLError => toHttpGraphQLError(classifyError(thrown));

export interface ContextFactory {
  /** Authenticates the caller (HTTP request or socket) and builds its context; throws a typed GraphQLError. */
  (credentials: Credentials, address: string): Promise<RequestContext>;
  /** The context of an identity already established (a socket's, verified on connect). */
  forIdentity(identity: Identity | undefined): RequestContext;
}

/**
 * Builds request contexts for HTTP and WS alike. `database` (NEO4J_DATABASE) is where the generated reads
 * run: @neo4j/graphql 7 takes it from each request's `sessionConfig`, not from its constructor.
 * In token mode an anonymous caller is refused here, before anything is parsed or run. `onIdentity` runs
 * after authentication (the per-caller rate limit) and may throw.
 */
export const createContextFactory = (options: {
  readonly services: Services;
  readonly authenticator: Authenticator;
  readonly database?: string | undefined;
  readonly onIdentity?: (identity: Identity) => Promise<void>;
}): ContextFactory => {
  const { services, authenticator, database, onIdentity } = options;
  const forIdentity = (identity: Identity | undefined): RequestContext => ({
    identity,
    jwt: claimsOf(identity),
    services,
    ...(database ? { sessionConfig: { database } } : {}),
  });
  const factory = async (credentials: Credentials, address: string) => {
    try {
      const identity = await authenticator.authenticate(credentials, address);
      // Token mode: nothing runs for an anonymous caller, not even a document that would not validate.
      if (!identity && authenticator.mode === 'token') throw new AppError('UNAUTHENTICATED', signInMessage);
      if (identity) await onIdentity?.(identity);
      return forIdentity(identity);
    } catch (thrown) {
      throw asContextError(thrown);
    }
  };
  return Object.assign(factory, { forIdentity });
};
