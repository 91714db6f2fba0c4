import { AppError } from '@ai-org/core';
import { describe, expect, it, vi } from 'vitest';
import { type AuthenticatorDeps, type Credentials, createAuthenticator, invalidCredentialMessage } from './identity';

const none: Credentials = { authorization: undefined, tenantHeader: undefined, adminToken: undefined };
const keySecret = `aiorg_${'k'.repeat(43)}`;

/** The seam's decisions over stand-ins for the key store, the JWT verifier and the tenant list. */
const authenticator = (overrides: Partial<AuthenticatorDeps> = {}) =>
  createAuthenticator({
    mode: 'token',
    defaultTenant: 'demo',
    adminToken: 's3cret',
    apiKeys: {
      verify: async (secret) =>
        secret === keySecret ? { keyId: 'key1', tenantId: 'acme', role: 'member', expiresAt: null } : null,
    },
    jwt: {
      verify: async (token) => {
        if (token !== 'good.jwt.token') throw new AppError('UNAUTHENTICATED', invalidCredentialMessage);
        return { subject: 'u1', tenantId: 'acme', role: 'viewer', platformAdmin: false, expiresAt: null };
      },
    },
    tenants: { exists: async (id) => id === 'acme' },
    ...overrides,
  });

const refusal = { code: 'UNAUTHENTICATED', message: invalidCredentialMessage };

describe('token mode', () => {
  it('is anonymous without a credential, whatever development headers say', async () => {
    const auth = authenticator();
    expect(await auth.authenticate(none, '1.2.3.4')).toBeUndefined();
    expect(await auth.authenticate({ ...none, tenantHeader: 'acme', adminToken: 's3cret' }, '1.2.3.4')).toBeUndefined();
  });

  it('identifies an API key and a JWT with their tenant and role', async () => {
    const auth = authenticator();
    expect(await auth.authenticate({ ...none, authorization: `Bearer ${keySecret}` }, 'a')).toMatchObject({
      tenantId: 'acme',
      role: 'member',
      platformAdmin: false,
      via: 'api_key',
      subject: 'key:key1',
    });
    expect(await auth.authenticate({ ...none, authorization: 'bearer good.jwt.token' }, 'a')).toMatchObject({
      tenantId: 'acme',
      role: 'viewer',
      via: 'jwt',
      subject: 'jwt:u1',
    });
  });

  it('refuses unknown keys, bad tokens, other schemes and tenants that do not exist with one message', async () => {
    // The key store answers null for a key whose tenant is gone; a token's tenant is looked up.
    const auth = authenticator({ tenants: { exists: async () => false } });
    const unknownKey = `aiorg_${'u'.repeat(43)}`;
    for (const authorization of [
      `Bearer ${unknownKey}`,
      'Bearer good.jwt.token',
      'Bearer forged.jwt.token',
      'Basic dXNlcjpwYXNz',
      'Bearer',
    ]) {
      await expect(auth.authenticate({ ...none, authorization }, 'a')).rejects.toMatchObject(refusal);
    }
  });

  it('accepts only API keys when no JWT issuer is configured', async () => {
    const auth = authenticator({ jwt: undefined });
    await expect(auth.authenticate({ ...none, authorization: 'Bearer good.jwt.token' }, 'a')).rejects.toMatchObject(
      refusal,
    );
  });

  it('gives a platform-admin key no tenant and no role', async () => {
    const auth = authenticator({
      apiKeys: { verify: async () => ({ keyId: 'adm', tenantId: null, role: 'platform_admin', expiresAt: null }) },
    });
    expect(await auth.authenticate({ ...none, authorization: `Bearer ${keySecret}` }, 'a')).toMatchObject({
      tenantId: null,
      role: null,
      platformAdmin: true,
    });
  });

  it('counts each refused credential against the caller’s address, and asks before verifying', async () => {
    const throttle = { assertMayAuthenticate: vi.fn(async () => {}), authFailed: vi.fn(async () => {}) };
    const auth = authenticator({ throttle });
    await expect(auth.authenticate({ ...none, authorization: 'Bearer nope' }, '9.9.9.9')).rejects.toThrow();
    await auth.authenticate({ ...none, authorization: `Bearer ${keySecret}` }, '9.9.9.9');
    expect(throttle.assertMayAuthenticate).toHaveBeenCalledTimes(2);
    expect(throttle.authFailed.mock.calls).toEqual([['9.9.9.9']]);
  });
});

describe('development mode', () => {
  const auth = authenticator({ mode: 'development' });

  it('takes the tenant from the header first, then the default, as its owner', async () => {
    expect(await auth.authenticate({ ...none, tenantHeader: 'acme' }, 'a')).toMatchObject({
      tenantId: 'acme',
      role: 'owner',
      platformAdmin: false,
      via: 'development',
    });
    expect((await auth.authenticate(none, 'a'))?.tenantId).toBe('demo');
    const noDefault = authenticator({ mode: 'development', defaultTenant: undefined });
    expect(await noDefault.authenticate({ ...none, tenantHeader: '  ' }, 'a')).toBeUndefined();
  });

  it('refuses a malformed tenant id, including BullMQ-breaking colons', async () => {
    for (const tenantHeader of ['acme:dev', 'ACME']) {
      await expect(auth.authenticate({ ...none, tenantHeader }, 'a')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('grants platform admin only for the configured token, and never when none is configured', async () => {
    const admin = async (adminToken: string, configured: string | undefined) =>
      (await authenticator({ mode: 'development', adminToken: configured }).authenticate({ ...none, adminToken }, 'a'))
        ?.platformAdmin;
    expect(await admin('s3cret', 's3cret')).toBe(true);
    expect(await admin('s3cre', 's3cret')).toBe(false);
    expect(await admin('', undefined)).toBe(false);
  });

  it('still verifies a bearer credential when one is sent', async () => {
    expect(
      await auth.authenticate({ ...none, authorization: `Bearer ${keySecret}`, tenantHeader: 'other' }, 'a'),
    ).toMatchObject({
      tenantId: 'acme',
      via: 'api_key',
    });
  });
});
