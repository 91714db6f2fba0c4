import { AppError, ErrorCode, toAppError } from '@ai-org/core';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { signInMessage } from '../auth/access';
import { invalidUtf8Type } from '../http/json-body';
import { hideSuggestions } from '../limits/graphql-limits';

/** Codes GraphQL and Apollo themselves produce for malformed requests; they pass unchanged. */
const requestErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** @neo4j/graphql signals auth outcomes by error class name and message. */
const fromNeo4jGraphQL = (error: GraphQLError): AppError | undefined => {
  if (error.name === 'Neo4jGraphQLForbiddenError') return new AppError('FORBIDDEN', 'Forbidden');
  if (error.name === 'Neo4jGraphQLAuthenticationError' || error.message === 'Unauthenticated') {
    return new AppError('UNAUTHENTICATED', signInMessage);
  }
  if (error.name === 'Neo4jGraphQLConstraintValidationError') return new AppError('CONFLICT', error.message);
  return undefined;
};

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** express.json() failures: malformed or oversized bodies. */
const fromBodyParser = (error: unknown): AppError | undefined => {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  if (type === 'entity.parse.failed') return new AppError('BAD_USER_INPUT', 'Request body is not valid JSON');
  if (type === invalidUtf8Type) return new AppError('BAD_USER_INPUT', 'Request body is not valid UTF-8');
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('BAD_USER_INPUT', 'Request body cannot be read');
  }
  return undefined;
};

/**
 * graphql 16 has a CommonJS and an ESM build; a bundler or test runner that mixes them makes
 * `instanceof GraphQLError` lie. Recognising GraphQL errors by shape works with either.
 */
const isGraphQLError = (error: unknown): error is GraphQLError =>
  error instanceof Error && typeof (error as { extensions?: unknown }).extensions === 'object';

/** Any thrown value → the AppError it stands for (unknown ones become INTERNAL_SERVER_ERROR). */
export const classifyError = (thrown: unknown): AppError => {
  const error = unwrapResolverError(thrown);
  if (isGraphQLError(error)) {
    const neo4jError = fromNeo4jGraphQL(error);
    if (neo4jError) return neo4jError;
    if (error.originalError) return classifyError(error.originalError);
    const code = error.extensions.code;
    if (typeof code === 'string' && knownCodes.has(code)) {
      return new AppError(code as ErrorCode, error.message.replace(/^Context creation failed: /, ''));
    }
  }
  return fromBodyParser(error) ?? toAppError(error);
};

export interface FormatErrorOptions {
  /** `config.auth.debugErrors` (DEBUG_ERRORS): the stack of an unexpected error goes to the client. */
  readonly debugErrors: boolean;
  /** Strip graphql-js' "Did you mean …?" hints (on unless introspection is enabled). */
  readonly hideSuggestions: boolean;
  readonly onInternalError: (error: unknown) => void;
}

/**
 * Apollo's formatError, and the socket's: request errors keep their own code, known errors keep code
 * and message, anything unexpected is masked as INTERNAL_SERVER_ERROR (its stack only with DEBUG_ERRORS).
 */
export const createFormatError =
  (options: FormatErrorOptions) =>
  (formatted: GraphQLFormattedError, thrown: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && requestErrorCodes.has(code) && !(unwrapResolverError(thrown) instanceof AppError)) {
      const message = options.hideSuggestions ? hideSuggestions(formatted.message) : formatted.message;
      return { message, locations: formatted.locations, extensions: { code } };
    }
    const appError = classifyError(thrown);
    if (appError.code === ErrorCode.INTERNAL_SERVER_ERROR) options.onInternalError(unwrapResolverError(thrown));
    return {
      message: appError.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: appError.code,
        ...(appError.details ? { details: appError.details } : {}),
        ...(options.debugErrors && appError.code === ErrorCode.INTERNAL_SERVER_ERROR
          ? { stacktrace: formatted.extensions?.stacktrace }
          : {}),
      },
    };
  };
