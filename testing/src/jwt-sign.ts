import { constants, createHmac, type KeyObject, sign } from 'node:crypto';

/**
 * Mints compact JWTs for tests with node:crypto only (no JOSE library, so the helper cannot share a bug
 * with the verifier it tests). Times are in seconds relative to now.
 */
export type JwtClaimsInput = Readonly<Record<string, unknown>>;

export interface JwtSignOptions {
  /** `exp` in seconds from now (negative: already expired); null leaves `exp` out. Default 300. */
  readonly expiresIn?: number | null;
  /** `nbf` in seconds from now; left out by default. */
  readonly notBefore?: number;
  /** `iat` in seconds from now; default 0 (now). */
  readonly issuedAt?: number;
  /** `iss`; null leaves it out. The issuer server fills its own by default. */
  readonly issuer?: string | null;
  /** `aud`; null leaves it out. The issuer server fills its own by default. */
  readonly audience?: string | readonly string[] | null;
  /** `sub`; default `user-test`. */
  readonly subject?: string;
  /** Header members to add or override (`kid`, `typ`, even `alg`, to build forged tokens). */
  readonly header?: Readonly<Record<string, unknown>>;
}

/** The asymmetric algorithms the issuer server signs with. */
export type AsymmetricAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** The registered claims from `options`, then the caller's claims (which win). */
export const claimsWith = (claims: JwtClaimsInput, options: JwtSignOptions = {}): Record<string, unknown> => {
  const at = now();
  const registered: Record<string, unknown> = {
    sub: options.subject ?? 'user-test',
    iat: at + (options.issuedAt ?? 0),
  };
  const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn;
  if (expiresIn !== null) registered.exp = at + expiresIn;
  if (options.notBefore !== undefined) registered.nbf = at + options.notBefore;
  if (options.issuer != null) registered.iss = options.issuer;
  if (options.audience != null) registered.aud = options.audience;
  return { ...registered, ...claims };
};

const signingInput = (header: Readonly<Record<string, unknown>>, payload: unknown) =>
  `${base64url(header)}.${base64url(payload)}`;

/** An HS256 token signed with `secret` (the self-hosting shared secret, or anything a forger tries). */
export const signHs256 = (
  secret: string | Uint8Array,
  claims: JwtClaimsInput,
  options: JwtSignOptions = {},
): string => {
  const input = signingInput({ alg: 'HS256', typ: 'JWT', ...options.header }, claimsWith(claims, options));
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

const signature = (alg: AsymmetricAlg, input: string, key: KeyObject): Buffer => {
  const data = Buffer.from(input);
  switch (alg) {
    case 'RS256':
      return sign('sha256', data, key);
    case 'PS256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key);
  }
};

/** A token signed with an asymmetric private key (RS256, PS256, ES256 or EdDSA). */
export const signAsymmetric = (
  key: { readonly alg: AsymmetricAlg; readonly kid: string; readonly privateKey: KeyObject },
  claims: JwtClaimsInput,
  options: JwtSignOptions = {},
): string => {
  const input = signingInput(
    { alg: key.alg, typ: 'JWT', kid: key.kid, ...options.header },
    claimsWith(claims, options),
  );
  return `${input}.${signature(key.alg, input, key.privateKey).toString('base64url')}`;
};

/** An unsigned token (`alg: none`, empty signature), the classic forgery a verifier must refuse. */
export const unsignedToken = (claims: JwtClaimsInput, options: JwtSignOptions = {}): string =>
  `${signingInput({ alg: 'none', typ: 'JWT', ...options.header }, claimsWith(claims, options))}.`;
