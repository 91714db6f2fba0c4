import { type AppError, httpStatusByCode } from '@ai-org/core';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** `details.retryAfterSeconds` of a refusal (RATE_LIMITED, a busy service), when it names a usable one. */
export const retryAfterSecondsOf = (error: AppError): number | undefined => {
  const value = error.details?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
};

/** The HTTP status and headers an AppError stands for: its code's status, and `Retry-After` when it names one. */
export const httpHeadOf = (error: AppError): { status: number; headers: HeaderMap } => {
  const retryAfter = retryAfterSecondsOf(error);
  return {
    status: httpStatusByCode[error.code],
    headers: new HeaderMap(retryAfter === undefined ? [] : [['retry-after', String(retryAfter)]]),
  };
};

/**
 * An AppError as the GraphQLError to throw from Apollo's context function or from a plugin's
 * `didResolveOperation`: Apollo copies `extensions.http` (status and headers) to the HTTP response
 * and removes it from the body; `originalError` lets formatError keep the code, message and details.
 * Plugins' `willSendResponse` does not run when the context function throws, so this is the only way
 * a `Retry-After` reaches the response there.
 */
export const toHttpGraphQLError = (error: AppError): GraphQLError =>
  new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: httpHeadOf(error) },
  });
