/**
 * JWT verification for token mode: a shared HS256 secret (self-hosting), or an issuer's JWKS with
 * issuer and audience (asymmetric algorithms only, keys cached and refetched on an unknown `kid`).
 *
 * Claim conventions. `sub` and `exp` are required. The tenant claim (default `tenant`) holds one tenant
 * id; the roles claim (default `roles`) an array of strings or one space/comma-separated string, of
 * which `viewer`/`member`/`owner` and `platform_admin` count and anything else is ignored. Claim names
 * are top-level and taken literally (no dotted paths), so namespaced names work:
 * - Auth0: an Action adds `https://ai-org.example/tenant` and `https://ai-org.example/roles` to the access
 *   token (custom claims must be namespaced); audience = the API identifier.
 * - Keycloak: a hardcoded-claim or user-attribute mapper for the tenant and a "User Realm Role" mapper
 *   with a flat claim name (`roles`, not the nested `realm_access.roles`); audience via an audience mapper.
 * - Entra ID: app roles arrive in `roles` as-is; the tenant comes from a directory extension or an
 *   optional claim (not `tid`, which is Entra's own directory); audience = the application ID URI.
 * - Cognito: a pre-token-generation trigger adds the tenant and roles (`cognito:groups` may be the roles
 *   claim); Cognito access tokens carry no `aud`, so configure an issuer that sets one.
 */
import type { Config, TenantRole } from '@ai-org/core';
import { createRemoteJWKSet, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from 'jose';
import { grantOf } from './jwt-claims';
import { isTokenKeyProblem, KeysUnavailableError, keysUnavailable, reasonOf, refuseToken } from './jwt-refusal';

/** `config.auth.jwt`, so the options stay in step with the configuration. */
type JwtConfig = Config['auth']['jwt'];

export interface JwtVerifierOptions extends JwtConfig {
  /** Leeway for `exp`, `nbf` and `iat` against clock skew; default 30 s. */
  readonly clockToleranceSeconds?: number;
  /** Least time between two refetches of the key set on an unknown `kid`; default 30 s. */
  readonly jwksCooldownSeconds?: number;
  /** How long a key-set fetch may take; default 5 s. */
  readonly jwksTimeoutMs?: number;
}

export interface VerifiedJwt {
  readonly subject: string;
  readonly tenantId: string | null;
  readonly role: TenantRole | null;
  readonly platformAdmin: boolean;
  readonly expiresAt: Date | null;
}

export interface JwtVerifier {
  /** The token's identity; throws UNAUTHENTICATED for any bad token, SERVICE_UNAVAILABLE when keys cannot be fetched. */
  verify(token: string): Promise<VerifiedJwt>;
}

/** Asymmetric algorithms accepted from a JWKS; never HS* (algorithm confusion) and never `none`. */
export const jwksAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
const maxTokenLength = 16_384;

/** Wraps the remote key set so an unreachable issuer is told apart from a bad token. */
const remoteKeys = (url: string, options: JwtVerifierOptions): JWTVerifyGetKey => {
  const keys = createRemoteJWKSet(new URL(url), {
    cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000,
    timeoutDuration: options.jwksTimeoutMs ?? 5000,
  });
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      throw isTokenKeyProblem(error) ? error : new KeysUnavailableError(error);
    }
  };
};

const keyAndOptions = (
  options: JwtVerifierOptions,
  tolerance: number,
): [Uint8Array | JWTVerifyGetKey, JWTVerifyOptions] => {
  const checks = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: tolerance,
    requiredClaims: ['exp', 'sub'],
  };
  if (options.jwksUrl) {
    if (!options.issuer || !options.audience) throw new Error('A JWKS URL needs an issuer and an audience');
    return [remoteKeys(options.jwksUrl, options), { ...checks, algorithms: [...jwksAlgorithms] }];
  }
  return [new TextEncoder().encode(options.secret), { ...checks, algorithms: ['HS256'] }];
};

/** A verifier for the configured JWTs, or undefined when neither a secret nor a JWKS URL is set. */
export const createJwtVerifier = (options: JwtVerifierOptions): JwtVerifier | undefined => {
  if (!options.secret && !options.jwksUrl) return undefined;
  if (options.secret && options.jwksUrl) throw new Error('Set a JWT secret or a JWKS URL, not both');
  const tolerance = options.clockToleranceSeconds ?? 30;
  const [key, verifyOptions] = keyAndOptions(options, tolerance);

  const verifyToken = async (token: string) => {
    if (typeof token !== 'string' || token.length > maxTokenLength) throw refuseToken('malformed');
    try {
      return (await jwtVerify(token, key, verifyOptions)).payload;
    } catch (error) {
      if (error instanceof KeysUnavailableError) throw keysUnavailable(error.cause);
      const reason = reasonOf(error);
      if (reason === undefined) throw error;
      throw refuseToken(reason);
    }
  };

  return {
    verify: async (token) => {
      const payload = await verifyToken(token);
      // jose checks `iat` only with maxTokenAge; a token issued in the future is refused here.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + tolerance) {
        throw refuseToken('issued_in_future');
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') throw refuseToken('missing_claim');
      if (typeof payload.exp !== 'number') throw refuseToken('missing_claim');
      const result = grantOf(payload, options);
      if ('refused' in result) throw refuseToken(result.refused);
      return { subject: payload.sub, ...result.grant, expiresAt: new Date(payload.exp * 1000) };
    },
  };
};
