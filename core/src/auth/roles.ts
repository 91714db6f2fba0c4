/**
 * Who may do what, shared by every process. A caller acts for one tenant with one role; roles are
 * ordered (an owner may do what a member may, a member what a viewer may). A platform admin
 * administers tenants (creates them, sets budgets by hand) and is not a role inside a tenant.
 */
export const tenantRoles = ['viewer', 'member', 'owner'] as const;
export type TenantRole = (typeof tenantRoles)[number];

/** The role an API key or a token can carry: a tenant role, or platform admin. */
export const platformAdminRole = 'platform_admin' as const;
export const grantableRoles = [...tenantRoles, platformAdminRole] as const;
export type GrantableRole = (typeof grantableRoles)[number];

export const isTenantRole = (value: unknown): value is TenantRole =>
  typeof value === 'string' && (tenantRoles as readonly string[]).includes(value);

/** Whether `role` may do what `needed` may. */
export const roleAtLeast = (role: TenantRole, needed: TenantRole): boolean =>
  tenantRoles.indexOf(role) >= tenantRoles.indexOf(needed);

/** The strongest tenant role among `roles` (e.g. a JWT's roles claim), or undefined when none is one. */
export const strongestRole = (roles: readonly unknown[]): TenantRole | undefined =>
  [...tenantRoles].reverse().find((role) => roles.includes(role));

/** How the API decides identity: the development header, or verified tokens (JWT, API keys). */
export const authModes = ['development', 'token'] as const;
export type AuthMode = (typeof authModes)[number];
