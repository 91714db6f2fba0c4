import { createPublicKey } from 'node:crypto';
import { AppError } from '@ai-org/core';
import {
  freePort,
  type JwtIssuer,
  signHs256,
  startJwtIssuer,
  startWebhookReceiver,
  unsignedToken,
  type WebhookReceiver,
} from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidTokenMessage, type JwtRefusalReason, keysUnavailableMessage } from './jwt-refusal';
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

let issuer: JwtIssuer;
let stranger: JwtIssuer;
let verifier: JwtVerifier;
const messages = new Set<string>();

const optionsFor = (jwks: JwtIssuer, extra: Partial<JwtVerifierOptions> = {}): JwtVerifierOptions => ({
  secret: undefined,
  jwksUrl: jwks.jwksUrl,
  issuer: jwks.issuer,
  audience: jwks.audience,
  tenantClaim: 'tenant',
  rolesClaim: 'roles',
  ...extra,
});

const verifierFor = (options: JwtVerifierOptions): JwtVerifier => {
  const created = createJwtVerifier(options);
  if (!created) throw new Error('expected a verifier');
  return created;
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the token was accepted');
    },
    (error: unknown) => error as AppError,
  );

/** UNAUTHENTICATED, the one generic message, the reason only in details, nothing of the token. */
const expectRefused = async (token: string, reason: JwtRefusalReason, by: JwtVerifier = verifier) => {
  const error = await failure(by.verify(token));
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: invalidTokenMessage, details: { reason } });
  expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
  messages.add(error.message);
};

const member = { tenant: 'acme', roles: ['member'] };

beforeAll(async () => {
  [issuer, stranger] = await Promise.all([startJwtIssuer(), startJwtIssuer()]);
  // A long cooldown, so the test of "no refetch during the cooldown" cannot race a slow machine.
  verifier = verifierFor(optionsFor(issuer, { jwksCooldownSeconds: 600 }));
});

afterAll(async () => {
  await Promise.all([issuer?.close(), stranger?.close()]);
});

describe('JWT verification against an issuer JWKS', () => {
  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('accepts a valid %s token with its claims', async (alg) => {
    const token = issuer.sign({ tenant: 'acme', roles: ['viewer', 'member'] }, { alg, subject: `user-${alg}` });
    expect(await verifier.verify(token)).toMatchObject({
      subject: `user-${alg}`,
      tenantId: 'acme',
      role: 'member',
      platformAdmin: false,
    });
  });

  it('fetches the key set once and serves later tokens from its cache', async () => {
    const before = issuer.fetches();
    for (const alg of ['RS256', 'ES256'] as const) await verifier.verify(issuer.sign(member, { alg }));
    expect(issuer.fetches()).toBe(before);
  });

  it('reads namespaced custom claim names', async () => {
    const custom = verifierFor(
      optionsFor(issuer, { tenantClaim: 'https://ai-org.example/tenant', rolesClaim: 'https://ai-org.example/roles' }),
    );
    const token = issuer.sign({ 'https://ai-org.example/tenant': 'globex', 'https://ai-org.example/roles': 'owner' });
    expect(await custom.verify(token)).toMatchObject({ tenantId: 'globex', role: 'owner' });
  });

  it('accepts a platform admin without a tenant', async () => {
    const token = issuer.sign({ roles: ['platform_admin'] }, { alg: 'ES256' });
    expect(await verifier.verify(token)).toMatchObject({ tenantId: null, role: null, platformAdmin: true });
  });

  it.each<[string, () => string, JwtRefusalReason]>([
    ['an expired token', () => issuer.sign(member, { expiresIn: -120 }), 'expired'],
    ['a token not valid yet', () => issuer.sign(member, { notBefore: 120 }), 'not_yet_valid'],
    ['a token of another issuer', () => issuer.sign(member, { issuer: 'https://evil.example/' }), 'wrong_issuer'],
    ['a token for another audience', () => issuer.sign(member, { audience: 'another-api' }), 'wrong_audience'],
    ['a token without an audience', () => issuer.sign(member, { audience: null }), 'missing_claim'],
    ['a token without exp', () => issuer.sign(member, { expiresIn: null }), 'missing_claim'],
    ['a tenant claim with a path', () => issuer.sign({ tenant: '../x', roles: ['owner'] }), 'bad_tenant'],
    ['an uppercase tenant claim', () => issuer.sign({ tenant: 'ACME', roles: ['owner'] }), 'bad_tenant'],
    ['a 200-character tenant claim', () => issuer.sign({ tenant: 'a'.repeat(200), roles: ['owner'] }), 'bad_tenant'],
    ['a tenant with no role', () => issuer.sign({ tenant: 'acme', roles: [] }), 'no_role'],
    ['a tenant role without a tenant', () => issuer.sign({ roles: ['owner'] }), 'no_tenant'],
  ])('refuses %s', async (_, token, reason) => {
    await expectRefused(token(), reason);
  });

  it('refuses an unsigned token (alg none), built by hand', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'u', iss: issuer.issuer, aud: issuer.audience, exp: now + 300, ...member };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    await expectRefused(`${header}.${payload}.`, 'alg_not_allowed');
    await expectRefused(unsignedToken(member, { issuer: issuer.issuer, audience: issuer.audience }), 'alg_not_allowed');
  });

  it('refuses HS256 tokens signed with the JWKS public key material or any secret (algorithm confusion)', async () => {
    const rsa = issuer.keys().find((key) => key.alg === 'RS256');
    if (!rsa) throw new Error('no RS256 key');
    const jwk = rsa.publicKey.export({ format: 'jwk' });
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const claims = { issuer: issuer.issuer, audience: issuer.audience, header: { kid: rsa.kid } };
    for (const secret of [pem, JSON.stringify(jwk), jwk.n ?? '', 'any-secret-at-all-32-characters-long']) {
      await expectRefused(signHs256(secret, member, claims), 'alg_not_allowed');
    }
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = issuer.sign(member).split('.');
    const forged = issuer.sign({ tenant: 'victim', roles: ['owner'] }).split('.')[1];
    await expectRefused(`${header}.${forged}.${signature}`, 'bad_signature');
  });

  it('refuses a token signed by a key not in the set (unknown kid), without refetching during the cooldown', async () => {
    const fetched = issuer.fetches();
    const foreign = stranger.sign(member, { issuer: issuer.issuer, audience: issuer.audience });
    await expectRefused(foreign, 'unknown_key');
    await expectRefused(issuer.sign(member, { header: { kid: 'not-a-known-kid' } }), 'unknown_key');
    expect(issuer.fetches()).toBe(fetched);
  });

  it('follows key rotation: a new key is fetched on its unknown kid, a removed key is refused', async () => {
    const rotating = verifierFor(optionsFor(issuer, { jwksCooldownSeconds: 0 }));
    const old = issuer.sign(member, { alg: 'ES256' });
    expect(await rotating.verify(old)).toMatchObject({ tenantId: 'acme' });
    await issuer.rotate();
    const fresh = issuer.sign(member, { alg: 'ES256' });
    expect(await rotating.verify(fresh)).toMatchObject({ tenantId: 'acme' });
    await expectRefused(old, 'unknown_key', rotating);
  });

  it('answers every refusal with one identical message', () => {
    expect([...messages]).toEqual([invalidTokenMessage]);
  });
});

describe('an unreachable key set', () => {
  let hanging: WebhookReceiver;
  beforeAll(async () => {
    hanging = await startWebhookReceiver();
    hanging.script('jwks', 'hang');
  });
  afterAll(async () => {
    hanging?.release();
    await hanging?.close();
  });

  const expectUnavailable = async (jwksUrl: string, extra: Partial<JwtVerifierOptions> = {}) => {
    const down = verifierFor(optionsFor(issuer, { jwksUrl, ...extra }));
    const error = await failure(down.verify(issuer.sign(member)));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: keysUnavailableMessage });
    expect(error.code).not.toBe('INTERNAL_SERVER_ERROR');
  };

  it('answers SERVICE_UNAVAILABLE when nothing listens at the JWKS URL', async () => {
    await expectUnavailable(`http://127.0.0.1:${await freePort()}/.well-known/jwks.json`);
  });

  it('answers SERVICE_UNAVAILABLE when the JWKS URL answers 404', async () => {
    await expectUnavailable(`${issuer.jwksUrl}-missing`);
  });

  it('answers SERVICE_UNAVAILABLE when the JWKS endpoint does not answer in time', async () => {
    await expectUnavailable(hanging.url('jwks'), { jwksTimeoutMs: 300 });
  });

  it('still refuses a forged token outright while the keys are unavailable', async () => {
    const down = verifierFor(optionsFor(issuer, { jwksUrl: `http://127.0.0.1:${await freePort()}/jwks` }));
    await expectRefused(unsignedToken(member), 'alg_not_allowed', down);
  });
});
