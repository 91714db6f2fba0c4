import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, tenantIdPattern } from '@ai-org/core';
import type { Credentials, Identity } from './identity';

export const tenantHeader = 'x-tenant-id';
export const adminTokenHeader = 'x-admin-token';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison, so response times leak nothing about the token. */
const matchesAdminToken = (given: string | undefined, expected: string | undefined): boolean =>
  given !== undefined && expected !== undefined && timingSafeEqual(digest(given), digest(expected));

/**
 * Development identity (loopback only, never in production): the `x-tenant-id` header, else the
 * configured default tenant, acting as the tenant's owner; platform admin with the `x-admin-token`
 * secret. Nothing is verified: anyone who reaches the API may be any tenant. A malformed tenant id is
 * refused; an empty header counts as none.
 */
export const developmentIdentity = (
  credentials: Credentials,
  options: { readonly defaultTenant: string | undefined; readonly adminToken: string | undefined },
): Identity | undefined => {
  const named = credentials.tenantHeader?.trim();
  const tenantId = named ? named : options.defaultTenant;
  if (tenantId === undefined) return undefined;
  if (!tenantIdPattern.test(tenantId)) {
    throw new AppError(
      'UNAUTHENTICATED',
      `"${tenantHeader}" must be a tenant id: lowercase letters, digits, "-" or "_"`,
    );
  }
  return {
    tenantId,
    role: 'owner',
    platformAdmin: matchesAdminToken(credentials.adminToken, options.adminToken),
    via: 'development',
    subject: `development:${tenantId}`,
    expiresAt: null,
  };
};
