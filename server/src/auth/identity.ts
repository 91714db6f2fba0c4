import { AppError, type AuthMode, isTenantRole, type TenantRole } from '@ai-org/core';
import { apiKeyPrefix, type VerifiedApiKey } from '@ai-org/domain';
import { developmentIdentity } from './development-identity';

/**
 * Who is calling: one tenant with one role, or a platform admin (who may act for no tenant). Decided
 * in one place, `createAuthenticator`, for HTTP, REST and the WebSocket alike.
 */
export interface Identity {
  /** The tenant the caller acts for; null for a platform admin key or token that names none. */
  readonly tenantId: string | null;
  /** The caller's role in that tenant; null exactly when tenantId is. */
  readonly role: TenantRole | null;
  /** May create tenants and set budgets by hand. */
  readonly platformAdmin: boolean;
  readonly via: 'development' | 'jwt' | 'api_key';
  /** Who, for rate limits and logs: the API key id, the token's subject, or `development:<tenant>`. */
  readonly subject: string;
  /** When the credential stops being valid (a JWT's exp, a key's expiry); null = not on its own. */
  readonly expiresAt: Date | null;
}

/** The claims @neo4j/graphql compares in its @authorization rules (`$jwt.tenant`). */
export interface JwtClaims {
  readonly tenant: string;
}

/** What a request or a socket presents; taken from HTTP headers or graphql-ws `connectionParams`. */
export interface Credentials {
  /** The `Authorization` header (or connection parameter) as given. */
  readonly authorization: string | undefined;
  /** Development mode only: the `x-tenant-id` header. */
  readonly tenantHeader: string | undefined;
  /** Development mode only: the `x-admin-token` header. */
  readonly adminToken: string | undefined;
}

/** An API key as its store verified it. */
export type VerifiedKey = VerifiedApiKey;

/** A JWT as its verifier read it (see jwt-verifier.ts). */
export interface VerifiedToken {
  readonly subject: string;
  readonly tenantId: string | null;
  readonly role: TenantRole | null;
  readonly platformAdmin: boolean;
  readonly expiresAt: Date | null;
}

export interface AuthenticatorDeps {
  readonly mode: AuthMode;
  /** Development mode: the tenant of a request that names none, and the x-admin-token secret. */
  readonly defaultTenant: string | undefined;
  readonly adminToken: string | undefined;
  /** Verifies a key; it answers null for a key whose tenant no longer exists. */
  readonly apiKeys: { verify(secret: string): Promise<VerifiedKey | null> };
  /** Unset when no JWT issuer is configured: then only API keys are accepted. */
  readonly jwt: { verify(token: string): Promise<VerifiedToken> } | undefined;
  /** Whether a JWT's tenant exists (keys are checked by their store). */
  readonly tenants: { exists(tenantId: string): Promise<boolean> };
  /** Throttling of failed sign-ins per client address. */
  readonly throttle?: {
    assertMayAuthenticate(address: string): Promise<void>;
    authFailed(address: string): Promise<void>;
  };
}

export interface Authenticator {
  readonly mode: AuthMode;
  /**
   * The caller's identity; undefined when it presents nothing (anonymous: every operation but the
   * health route then answers UNAUTHENTICATED). A credential that does not verify throws UNAUTHENTICATED.
   */
  authenticate(credentials: Credentials, address: string): Promise<Identity | undefined>;
}

/** One message for every credential that does not verify: nothing to learn from it. */
export const invalidCredentialMessage = 'The token is invalid or expired';
const invalid = (reason: string) => new AppError('UNAUTHENTICATED', invalidCredentialMessage, { details: { reason } });

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;

const fromKey = (key: VerifiedKey): Identity => {
  const platformAdmin = key.role === 'platform_admin';
  const role = isTenantRole(key.role) ? key.role : null;
  return {
    tenantId: role === null ? null : key.tenantId,
    role,
    platformAdmin,
    via: 'api_key',
    subject: `key:${key.keyId}`,
    expiresAt: key.expiresAt,
  };
};

const fromJwt = (token: VerifiedToken): Identity => ({
  tenantId: token.role === null ? null : token.tenantId,
  role: token.tenantId === null ? null : token.role,
  platformAdmin: token.platformAdmin,
  via: 'jwt',
  subject: `jwt:${token.subject}`,
  expiresAt: token.expiresAt,
});

/**
 * The one seam where identity is decided. Token mode: `Authorization: Bearer <API key or JWT>`,
 * nothing else. Development mode: the same when a bearer credential is sent, else the `x-tenant-id`
 * header (or the default tenant) as owner, and platform admin with the `x-admin-token` secret. A
 * tenant that does not exist is refused (development mode creates tenants as they are named).
 */
export const createAuthenticator = (deps: AuthenticatorDeps): Authenticator => {
  const verifyBearer = async (token: string): Promise<Identity> => {
    if (token.startsWith(apiKeyPrefix)) {
      // The key store finds no key whose tenant is gone: no second lookup.
      const key = await deps.apiKeys.verify(token);
      if (!key) throw invalid('unknown_key');
      return fromKey(key);
    }
    if (!deps.jwt) throw invalid('no_issuer');
    const identity = fromJwt(await deps.jwt.verify(token));
    // A token names its tenant itself; that tenant must exist.
    if (identity.tenantId !== null && !(await deps.tenants.exists(identity.tenantId))) throw invalid('no_tenant');
    return identity;
  };

  const bearer = async (authorization: string, address: string): Promise<Identity> => {
    await deps.throttle?.assertMayAuthenticate(address);
    try {
      const token = bearerPattern.exec(authorization)?.[1];
      if (!token) throw invalid('not_bearer');
      return await verifyBearer(token);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') await deps.throttle?.authFailed(address);
      throw error;
    }
  };

  return {
    mode: deps.mode,
    async authenticate(credentials, address) {
      const authorization = credentials.authorization?.trim();
      if (authorization) return bearer(authorization, address);
      if (deps.mode === 'token') return undefined;
      return developmentIdentity(credentials, deps);
    },
  };
};

export const claimsOf = (identity: Identity | undefined): JwtClaims | undefined =>
  identity?.tenantId ? { tenant: identity.tenantId } : undefined;
