import { httpStatusByCode } from '@ai-org/core';
import { GraphQLError } from 'graphql';
import { claimsOf, identify } from '../auth/identity';
import type { RequestContext, Services } from '../context';
import { classifyError } from './format-error';

/** Builds a request context from the tenant header value, for HTTP and WebSocket alike. */
export const createContextFactory =
  (services: Services, defaultTenant: string | undefined) =>
  (tenantHeaderValue: string | readonly string[] | undefined): RequestContext => {
    try {
      const identity = identify(tenantHeaderValue, defaultTenant);
      return { identity, jwt: claimsOf(identity), services };
    } catch (thrown) {
      const error = classifyError(thrown);
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, http: { status: httpStatusByCode[error.code] } },
      });
    }
  };
