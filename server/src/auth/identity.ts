import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, tenantIdPattern } from '@ai-org/core';

/** Who is calling. Today a tenant and an admin flag; JWT verification (a later issue) will fill it. */
export interface Identity {
  readonly tenantId: string;
  /** May administer budgets (x-admin-token matched ADMIN_TOKEN). */
  readonly isAdmin: boolean;
}

/** The claims @neo4j/graphql compares in its @authorization rules (`$jwt.tenant`). */
export interface JwtClaims {
  readonly tenant: string;
}

export const tenantHeader = 'x-tenant-id';
export const adminTokenHeader = 'x-admin-token';

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface IdentityOptions {
  readonly defaultTenant: string | undefined;
  readonly adminToken: string | undefined;
}

const first = (value: string | readonly string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value) as string | undefined;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison, so response times leak nothing about the token. */
const matchesAdminToken = (given: string | undefined, expected: string | undefined): boolean =>
  given !== undefined && expected !== undefined && timingSafeEqual(digest(given), digest(expected));

/**
 * The one seam where a request's identity is decided. Development identity: the `x-tenant-id` header,
 * else the configured default tenant, else anonymous. A malformed tenant id is refused outright.
 */
export const identify = (headers: RequestHeaders, options: IdentityOptions): Identity | undefined => {
  const value = first(headers[tenantHeader])?.trim();
  const tenantId = value ? value : options.defaultTenant;
  if (tenantId === undefined) return undefined;
  if (!tenantIdPattern.test(tenantId)) {
    throw new AppError(
      'UNAUTHENTICATED',
      `"${tenantHeader}" must be a tenant id: lowercase letters, digits, "-" or "_"`,
    );
  }
  return { tenantId, isAdmin: matchesAdminToken(first(headers[adminTokenHeader]), options.adminToken) };
};

export const claimsOf = (identity: Identity | undefined): JwtClaims | undefined =>
  identity ? { tenant: identity.tenantId } : undefined;
