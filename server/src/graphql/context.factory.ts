import { httpStatusByCode } from '@ai-org/core';
import { GraphQLError } from 'graphql';
import { claimsOf, type IdentityOptions, identify, type RequestHeaders } from '../auth/identity';
import type { RequestContext, Services } from '../context';
import { classifyError } from './format-error';

/** Builds a request context from request headers (or WebSocket connection params), for HTTP and WS alike. */
export const createContextFactory =
  (services: Services, options: IdentityOptions) =>
  (headers: RequestHeaders): RequestContext => {
    try {
      const identity = identify(headers, options);
      return { identity, jwt: claimsOf(identity), services };
    } catch (thrown) {
      const error = classifyError(thrown);
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, http: { status: httpStatusByCode[error.code] } },
      });
    }
  };
