import { generateKeyPairSync } from 'node:crypto';
import { AppError } from '@ai-org/core';
import { type JwtSignOptions, signAsymmetric, signHs256, unsignedToken } from '@ai-org/testing';
import { describe, expect, it } from 'vitest';
import { invalidTokenMessage, type JwtRefusalReason } from './jwt-refusal';
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

const secret = 'test-secret-that-is-at-least-32-characters-long';
const base: JwtVerifierOptions = {
  secret,
  jwksUrl: undefined,
  issuer: undefined,
  audience: undefined,
  tenantClaim: 'tenant',
  rolesClaim: 'roles',
};

const verifierWith = (options: Partial<JwtVerifierOptions> = {}): JwtVerifier => {
  const verifier = createJwtVerifier({ ...base, ...options });
  if (!verifier) throw new Error('expected a verifier');
  return verifier;
};

const member = { tenant: 'acme', roles: ['member'] };
const sign = (claims: Record<string, unknown> = member, options?: JwtSignOptions) => signHs256(secret, claims, options);

/** Asserts the one generic refusal: UNAUTHENTICATED, the same message, only the reason in details. */
const expectRefused = async (verifier: JwtVerifier, token: string, reason: JwtRefusalReason) => {
  const error = await verifier.verify(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: invalidTokenMessage, details: { reason } });
  expect(Object.keys((error as AppError).details ?? {})).toEqual(['reason']);
  expect((error as AppError).cause).toBeUndefined();
  if (token !== '') expect(JSON.stringify({ ...(error as AppError) })).not.toContain(token);
};

describe('createJwtVerifier', () => {
  it('returns undefined when neither a secret nor a JWKS URL is configured (API keys only)', () => {
    expect(createJwtVerifier({ ...base, secret: undefined })).toBeUndefined();
  });

  it('refuses to start with both a secret and a JWKS URL, or a JWKS URL without issuer and audience', () => {
    expect(() => createJwtVerifier({ ...base, jwksUrl: 'https://id.example/jwks' })).toThrow(/not both/);
    expect(() => createJwtVerifier({ ...base, secret: undefined, jwksUrl: 'https://id.example/jwks' })).toThrow(
      /issuer and an audience/,
    );
  });
});

describe('HS256 verification with a shared secret', () => {
  const verifier = verifierWith();

  it('accepts a valid token and returns its subject, tenant, strongest role and expiry', async () => {
    const token = sign({ tenant: 'acme', roles: ['viewer', 'owner', 'offline_access'] }, { subject: 'u-1' });
    const verified = await verifier.verify(token);
    expect(verified).toMatchObject({ subject: 'u-1', tenantId: 'acme', role: 'owner', platformAdmin: false });
    expect(verified.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 200_000);
  });

  it('reads namespaced custom claim names (Auth0 style)', async () => {
    const custom = verifierWith({
      tenantClaim: 'https://ai-org.example/tenant',
      rolesClaim: 'https://ai-org.example/roles',
    });
    const token = sign({ 'https://ai-org.example/tenant': 'globex', 'https://ai-org.example/roles': ['viewer'] });
    expect(await custom.verify(token)).toMatchObject({ tenantId: 'globex', role: 'viewer' });
    await expectRefused(custom, sign(member), 'no_grant');
  });

  it.each([
    ['space-separated', 'viewer member'],
    ['comma-separated', 'viewer,member'],
    ['one string', 'member'],
  ])('accepts roles as a %s string', async (_, roles) => {
    expect(await verifier.verify(sign({ tenant: 'acme', roles }))).toMatchObject({ role: 'member' });
  });

  it('accepts a platform admin without a tenant', async () => {
    const verified = await verifier.verify(sign({ roles: ['platform_admin'] }));
    expect(verified).toMatchObject({ tenantId: null, role: null, platformAdmin: true });
  });

  it('honours the clock tolerance for exp, nbf and iat', async () => {
    await expect(verifier.verify(sign(member, { expiresIn: -10 }))).resolves.toBeDefined();
    await expect(verifier.verify(sign(member, { notBefore: 10, issuedAt: 10 }))).resolves.toBeDefined();
    const strict = verifierWith({ clockToleranceSeconds: 0 });
    await expectRefused(strict, sign(member, { expiresIn: -10 }), 'expired');
  });

  it('enforces issuer and audience when configured, and accepts an audience among several', async () => {
    const pinned = verifierWith({ issuer: 'https://id.example/', audience: 'ai-org' });
    const good = { issuer: 'https://id.example/', audience: ['other', 'ai-org'] };
    expect(await pinned.verify(sign(member, good))).toMatchObject({ tenantId: 'acme' });
    await expectRefused(pinned, sign(member, { ...good, issuer: 'https://evil.example/' }), 'wrong_issuer');
    await expectRefused(pinned, sign(member, { ...good, audience: 'other' }), 'wrong_audience');
    await expectRefused(pinned, sign(member, { ...good, audience: null }), 'missing_claim');
  });

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const refusals: [string, () => string, JwtRefusalReason][] = [
    ['an expired token', () => sign(member, { expiresIn: -120 }), 'expired'],
    ['a token not valid yet', () => sign(member, { notBefore: 120 }), 'not_yet_valid'],
    ['a token issued in the future', () => sign(member, { issuedAt: 120 }), 'issued_in_future'],
    ['a token without exp', () => sign(member, { expiresIn: null }), 'missing_claim'],
    ['a token without sub', () => sign({ ...member, sub: undefined }), 'missing_claim'],
    ['a token signed with another secret', () => signHs256(`${secret}x`, member), 'bad_signature'],
    ['an unsigned token (alg none)', () => unsignedToken(member), 'alg_not_allowed'],
    ['an RS256 token', () => signAsymmetric({ alg: 'RS256', kid: 'k', privateKey }, member), 'alg_not_allowed'],
    ['an empty string', () => '', 'malformed'],
    ['garbage', () => 'not.a.jwt', 'malformed'],
    ['an oversized token', () => sign({ ...member, pad: 'x'.repeat(20_000) }), 'malformed'],
    ['a tenant claim with a path', () => sign({ tenant: '../x', roles: ['owner'] }), 'bad_tenant'],
    ['an uppercase tenant claim', () => sign({ tenant: 'Acme', roles: ['owner'] }), 'bad_tenant'],
    ['a 200-character tenant claim', () => sign({ tenant: 'a'.repeat(200), roles: ['owner'] }), 'bad_tenant'],
    ['a numeric tenant claim', () => sign({ tenant: 42, roles: ['owner'] }), 'bad_tenant'],
    ['a roles claim that is an object', () => sign({ tenant: 'acme', roles: { owner: true } }), 'bad_roles'],
    ['a tenant with no role', () => sign({ tenant: 'acme' }), 'no_role'],
    ['a tenant with only unknown roles', () => sign({ tenant: 'acme', roles: ['admin'] }), 'no_role'],
    ['a tenant role without a tenant', () => sign({ roles: ['owner'] }), 'no_tenant'],
    ['a token granting nothing', () => sign({}), 'no_grant'],
  ];

  it.each(refusals)('refuses %s with the generic message', async (_, token, reason) => {
    await expectRefused(verifier, token(), reason);
  });
});
