import { AppError } from '@ai-org/core';
import { errors } from 'jose';

/** Why a token was refused: a short fixed code for logs (`details.reason`), never shown with claim values. */
export const jwtRefusalReasons = [
  'malformed',
  'alg_not_allowed',
  'bad_signature',
  'unknown_key',
  'ambiguous_key',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'wrong_issuer',
  'wrong_audience',
  'missing_claim',
  'bad_claims',
  'bad_tenant',
  'bad_roles',
  'no_tenant',
  'no_role',
  'no_grant',
] as const;
export type JwtRefusalReason = (typeof jwtRefusalReasons)[number];

/** The one message of every refused token, whatever the reason. */
export const invalidTokenMessage = 'The token is invalid or expired';
export const keysUnavailableMessage = "The token issuer's keys are unavailable";

/** UNAUTHENTICATED with the generic message; the reason only in `details.reason`. No cause: jose's carries the claims. */
export const refuseToken = (reason: JwtRefusalReason): AppError =>
  new AppError('UNAUTHENTICATED', invalidTokenMessage, { details: { reason } });

/** The issuer's key set could not be fetched or read: the caller may retry, the token may be fine. */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super(keysUnavailableMessage, { cause });
    this.name = 'KeysUnavailableError';
  }
}

export const keysUnavailable = (cause: unknown): AppError =>
  new AppError('SERVICE_UNAVAILABLE', keysUnavailableMessage, { details: { service: 'JWKS' }, cause });

const claimReason = (claim: string, reason: string): JwtRefusalReason => {
  if (reason === 'missing') return 'missing_claim';
  switch (claim) {
    case 'nbf':
      return 'not_yet_valid';
    case 'iat':
      return 'issued_in_future';
    case 'iss':
      return 'wrong_issuer';
    case 'aud':
      return 'wrong_audience';
    default:
      return 'bad_claims';
  }
};

/** The reason code for a jose error, or undefined when the error is not about the token. */
export const reasonOf = (error: unknown): JwtRefusalReason | undefined => {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return claimReason(error.claim, error.reason);
  if (error instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous_key';
  if (error instanceof errors.JOSEError) return 'malformed';
  return undefined;
};

/** Whether a failure of the remote key set is about the token (its `alg`/`kid`) rather than the issuer. */
export const isTokenKeyProblem = (error: unknown): boolean =>
  error instanceof errors.JWKSNoMatchingKey ||
  error instanceof errors.JWKSMultipleMatchingKeys ||
  error instanceof errors.JOSENotSupported;
