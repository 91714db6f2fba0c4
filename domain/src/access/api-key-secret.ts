import { createHash, randomBytes } from 'node:crypto';

/**
 * API key secrets: `aiorg_` followed by 32 random bytes in base64url (43 characters), e.g.
 * `aiorg_Vq0b3…`. The fixed prefix lets secret scanners (GitHub's, gitleaks, trufflehog) find a
 * leaked key with the regular expression `aiorg_[A-Za-z0-9_-]{43}`, as GitHub's `ghp_` and Stripe's
 * `sk_live_` tokens do. JWTs contain dots, so a bearer token is never both.
 */
export const apiKeyPrefix = 'aiorg_';
const secretBytes = 32;
/** 32 bytes in unpadded base64url. */
const encodedLength = 43;
export const apiKeySecretLength = apiKeyPrefix.length + encodedLength;
/** The documented pattern, for secret scanners and for telling keys from other tokens. */
export const apiKeyPattern = /^aiorg_[A-Za-z0-9_-]{43}$/;
/** How much of a secret is kept in the clear to recognise the key in a list: `aiorg_` and 6 more. */
export const apiKeyDisplayLength = 12;

/** A new secret; 256 bits from the operating system's CSPRNG. */
export const newApiKeySecret = (): string => `${apiKeyPrefix}${randomBytes(secretBytes).toString('base64url')}`;

/** Whether `value` has the shape of an API key secret (not whether such a key exists). */
export const looksLikeApiKey = (value: string): boolean =>
  value.length === apiKeySecretLength && apiKeyPattern.test(value);

/**
 * The stored form of a secret: SHA-256 of the whole secret, in hex. A slow password hash (bcrypt,
 * scrypt, argon2) exists to make guessing low-entropy passwords expensive; a secret of 256 random
 * bits cannot be guessed, so one fast hash already makes a stolen table useless, and lets a request
 * be verified by one indexed lookup without spending CPU per request.
 */
export const hashApiKeySecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The part of a secret shown in lists (`aiorg_Vq0b3x`), never enough to use it. */
export const apiKeyDisplayPrefix = (secret: string): string => secret.slice(0, apiKeyDisplayLength);
