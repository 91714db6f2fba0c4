import { AppError, tenantIdPattern } from '@ai-org/core';

/** Who is calling. Today only a tenant; JWT verification (a later issue) will fill it from a token. */
export interface Identity {
  readonly tenantId: string;
}

/** The claims @neo4j/graphql compares in its @authorization rules (`$jwt.tenant`). */
export interface JwtClaims {
  readonly tenant: string;
}

export const tenantHeader = 'x-tenant-id';

/**
 * The one seam where a request's identity is decided. Development identity: the `x-tenant-id` header,
 * else the configured default tenant, else anonymous. A malformed tenant id is refused outright.
 */
export const identify = (
  headerValue: string | readonly string[] | undefined,
  defaultTenant: string | undefined,
): Identity | undefined => {
  const value = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  const tenantId = typeof value === 'string' && value.trim() !== '' ? value.trim() : defaultTenant;
  if (tenantId === undefined) return undefined;
  if (!tenantIdPattern.test(tenantId)) {
    throw new AppError(
      'UNAUTHENTICATED',
      `"${tenantHeader}" must be a tenant id: lowercase letters, digits, "-" or "_"`,
    );
  }
  return { tenantId };
};

export const claimsOf = (identity: Identity | undefined): JwtClaims | undefined =>
  identity ? { tenant: identity.tenantId } : undefined;
