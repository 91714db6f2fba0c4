import { platformAdminRole, strongestRole, type TenantRole, tenantIdPattern } from '@ai-org/core';
import type { JwtRefusalReason } from './jwt-refusal';

/** What a verified token grants: a tenant with a role in it, and/or platform administration. */
export interface JwtGrant {
  readonly tenantId: string | null;
  /** Null without a tenant: a tenant role means nothing on its own. */
  readonly role: TenantRole | null;
  readonly platformAdmin: boolean;
}

export type GrantResult = { readonly grant: JwtGrant } | { readonly refused: JwtRefusalReason };

export interface ClaimNames {
  readonly tenantClaim: string;
  readonly rolesClaim: string;
}

/**
 * A roles claim as a list: an array of strings, or one string (space- or comma-separated, as some
 * issuers put scopes and groups). Absent → no roles; anything else → undefined (refused).
 */
export const rolesFrom = (value: unknown): readonly string[] | undefined => {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((role) => role !== '');
  if (Array.isArray(value) && value.every((role) => typeof role === 'string')) return value;
  return undefined;
};

/**
 * Reads the tenant and roles claims (top-level names taken literally, so namespaced URLs such as
 * `https://ai-org.example/tenant` work) and decides what the token grants. Refused unless it grants
 * something: a tenant with a tenant role, or platform administration.
 */
export const grantOf = (payload: Readonly<Record<string, unknown>>, names: ClaimNames): GrantResult => {
  const tenant = payload[names.tenantClaim];
  if (tenant !== undefined && (typeof tenant !== 'string' || !tenantIdPattern.test(tenant))) {
    return { refused: 'bad_tenant' };
  }
  const roles = rolesFrom(payload[names.rolesClaim]);
  if (roles === undefined) return { refused: 'bad_roles' };
  const tenantId = tenant ?? null;
  const role = strongestRole(roles) ?? null;
  const platformAdmin = roles.includes(platformAdminRole);
  if (platformAdmin) return { grant: { tenantId, role: tenantId === null ? null : role, platformAdmin } };
  if (tenantId === null) return { refused: role === null ? 'no_grant' : 'no_tenant' };
  if (role === null) return { refused: 'no_role' };
  return { grant: { tenantId, role, platformAdmin } };
};
