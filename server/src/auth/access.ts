import { AppError } from '@ai-org/core';
import type { RequestContext } from '../context';

/** The answer to a caller who presented nothing (or nothing valid) in token mode. */
export const signInMessage =
  'Sign in: send Authorization: Bearer <API key or JWT> (in development mode, the x-tenant-id header)';

/**
 * What a refused field answers: UNAUTHENTICATED for a caller without identity, FORBIDDEN for one whose
 * role is not enough. The scope check runs before the resolver, so nothing was read or written.
 */
export const unauthorizedError = (context: RequestContext, detail: string): AppError =>
  context.identity === undefined
    ? new AppError('UNAUTHENTICATED', signInMessage)
    : new AppError('FORBIDDEN', 'Your role does not allow this operation', { details: { reason: detail } });

/**
 * The tenant a resolver acts for. Pothos resolvers bypass @authorization, so each one asks for it; the
 * field's `authScopes` has already checked the role.
 */
export const requireTenant = (context: RequestContext): string => {
  const { identity } = context;
  if (!identity) throw new AppError('UNAUTHENTICATED', signInMessage);
  if (identity.tenantId === null) {
    throw new AppError('FORBIDDEN', 'This credential acts for no tenant; use a key or token of the tenant');
  }
  return identity.tenantId;
};
