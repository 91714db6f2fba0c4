import { randomBytes } from 'node:crypto';
import { type AppError, loadConfig } from '@ai-org/core';
import { ApiKeyRepository, createNeo4jDriver, migrate, newApiKeyId, TenantRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyService, maxApiKeysPerTenant } from './api-key.service';
import { hashApiKeySecret } from './api-key-secret';
import { TenantService } from './tenant.service';

/** The code and message of the AppError `promise` rejects with. */
const failure = async (promise: Promise<unknown>): Promise<{ code: string; message: string }> => {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as AppError;
    return { code, message };
  }
  throw new Error('expected a failure');
};

describe('ApiKeyService and TenantService', () => {
  const config = loadConfig(process.env);
  const database = config.neo4j.database;
  const driver = createNeo4jDriver(config.neo4j);
  const repository = new ApiKeyRepository(driver, database);
  let clock: Date | null = null;
  const apiKeys = new ApiKeyService(repository, { now: () => clock ?? new Date() });
  const tenants = new TenantService(new TenantRepository(driver, database), apiKeys);
  const label = () => `test-keys-${randomBytes(4).toString('hex')}`;
  const alice = label();
  const bob = label();
  const created: string[] = [alice, bob];
  const platformKeyIds: string[] = [];

  beforeAll(async () => {
    await migrate(driver, database);
    await tenants.create(alice, 'Alice');
    await tenants.create(bob);
  });

  afterAll(async () => {
    await driver.executeQuery(
      `MATCH (k:ApiKey) WHERE k.tenantId IN $tenantIds OR k.id IN $platformKeyIds DETACH DELETE k
       WITH count(*) AS ignored
       MATCH (tn:Tenant) WHERE tn.id IN $tenantIds DETACH DELETE tn`,
      { tenantIds: created, platformKeyIds },
      { database },
    );
    await driver.close();
  });

  it('creates a key whose secret verifies, lists it with its last use, and refuses it right after revocation', async () => {
    const { key, secret } = await apiKeys.create(alice, { name: 'deploys', role: 'member' });
    expect(key).toMatchObject({ name: 'deploys', role: 'member', prefix: secret.slice(0, 12), revokedAt: null });
    expect(await apiKeys.verify(secret)).toEqual({ keyId: key.id, tenantId: alice, role: 'member', expiresAt: null });

    const listed = (await apiKeys.list(alice)).find((k) => k.id === key.id);
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(Object.keys(listed ?? {}).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role'].sort(),
    );

    const revoked = await apiKeys.revoke(alice, key.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await apiKeys.verify(secret)).toBeNull();
    expect((await apiKeys.revoke(alice, key.id)).revokedAt).toBe(revoked.revokedAt);
  });

  it('never shows the hash or the secret in a list', async () => {
    const { secret } = await apiKeys.create(alice, { name: 'listed', role: 'viewer' });
    const text = JSON.stringify(await apiKeys.list(alice));
    expect(text).not.toContain(hashApiKeySecret(secret));
    expect(text).not.toContain(secret);
    expect(text).not.toContain('hash');
  });

  it('refuses an expired key', async () => {
    const now = Date.now();
    clock = new Date(now - 2 * 3_600_000);
    const expiresAt = new Date(now - 3_600_000);
    const { secret } = await apiKeys.create(alice, { name: 'short-lived', role: 'viewer', expiresAt });
    expect((await apiKeys.verify(secret))?.expiresAt).toEqual(expiresAt);
    clock = null;
    expect(await apiKeys.verify(secret)).toBeNull();
  });

  it('answers another tenant’s key id exactly like a missing one, and leaves that key working', async () => {
    const { key, secret } = await apiKeys.create(alice, { name: 'alice only', role: 'owner' });
    const foreign = await failure(apiKeys.revoke(bob, key.id));
    expect(foreign).toEqual({ code: 'NOT_FOUND', message: 'No such API key for this tenant' });
    expect(await failure(apiKeys.revoke(bob, newApiKeyId()))).toEqual(foreign);
    expect(await failure(apiKeys.revoke(bob, 'not an id'))).toEqual(foreign);
    expect(await failure(apiKeys.revoke(null, key.id))).toEqual(foreign);
    expect((await apiKeys.verify(secret))?.tenantId).toBe(alice);
    expect((await apiKeys.list(bob)).map((k) => k.id)).not.toContain(key.id);
  });

  it('returns null for anything that is not a live key', async () => {
    const unknown = `aiorg_${randomBytes(32).toString('base64url')}`;
    for (const value of ['', 'Bearer x', unknown, `${unknown}x`, 'eyJhbGciOiJub25lIn0.e30.']) {
      expect(await apiKeys.verify(value)).toBeNull();
    }
  });

  it('refuses bad input, a platform_admin key for a tenant, a tenant key for none, and a missing tenant', async () => {
    const bad = [
      apiKeys.create(alice, { name: '', role: 'viewer' }),
      apiKeys.create(alice, { name: 'x'.repeat(81), role: 'viewer' }),
      apiKeys.create(alice, { name: 'bell\u0007', role: 'viewer' }),
      apiKeys.create(alice, { name: 'k', role: 'admin' as 'owner' }),
      apiKeys.create(alice, { name: 'k', role: 'viewer', expiresAt: new Date(Date.now() - 1_000) }),
      apiKeys.create(alice, { name: 'k', role: 'viewer', expiresAt: new Date(Date.now() + 3 * 366 * 86_400_000) }),
      apiKeys.create(alice, { name: 'k', role: 'platform_admin' }),
      apiKeys.create(null, { name: 'k', role: 'owner' }),
    ];
    for (const attempt of bad) expect((await failure(attempt)).code).toBe('BAD_USER_INPUT');
    expect(await failure(apiKeys.create(label(), { name: 'k', role: 'owner' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No such tenant',
    });
  });

  it('creates platform-admin keys that belong to no tenant', async () => {
    const { key, secret } = await apiKeys.create(null, { name: 'ops', role: 'platform_admin' });
    platformKeyIds.push(key.id);
    expect(await apiKeys.verify(secret)).toMatchObject({ keyId: key.id, tenantId: null, role: 'platform_admin' });
    expect((await apiKeys.list(alice)).map((k) => k.id)).not.toContain(key.id);
  });

  it('refuses the 51st active key of a tenant, and accepts one again after a revocation', async () => {
    const tenant = label();
    created.push(tenant);
    await tenants.create(tenant);
    const first = await apiKeys.create(tenant, { name: 'key 1', role: 'viewer' });
    for (let n = 2; n <= maxApiKeysPerTenant; n += 1)
      await apiKeys.create(tenant, { name: `key ${n}`, role: 'viewer' });
    const refused = await failure(apiKeys.create(tenant, { name: 'one too many', role: 'viewer' }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.code).not.toBe('INTERNAL_SERVER_ERROR');
    await apiKeys.revoke(tenant, first.key.id);
    await apiKeys.create(tenant, { name: 'replacement', role: 'viewer' });
    expect(await repository.countActive(tenant)).toBe(maxApiKeysPerTenant);
  });

  it('still verifies when recording the last use fails', async () => {
    const failing = new (class extends ApiKeyRepository {
      override touch(): Promise<boolean> {
        return Promise.reject(new Error('Neo4j write refused'));
      }
    })(driver, database);
    const reported: unknown[] = [];
    const service = new ApiKeyService(failing, { onTouchError: (error) => reported.push(error) });
    const { key, secret } = await service.create(alice, { name: 'touch fails', role: 'viewer' });
    expect((await service.verify(secret))?.keyId).toBe(key.id);
    expect(reported).toHaveLength(1);
  });

  it('creates a tenant explicitly once, with a first owner key', async () => {
    const tenant = label();
    created.push(tenant);
    expect(await tenants.exists(tenant)).toBe(false);
    const { tenantId, key, secret } = await tenants.createWithOwnerKey(tenant, 'Acme');
    expect(tenantId).toBe(tenant);
    expect(key).toMatchObject({ name: 'first owner key', role: 'owner' });
    expect(await apiKeys.verify(secret)).toMatchObject({ tenantId: tenant, role: 'owner' });
    expect(await tenants.exists(tenant)).toBe(true);

    const again = await failure(tenants.createWithOwnerKey(tenant));
    expect(again.code).toBe('CONFLICT');
    expect((await apiKeys.list(tenant)).length).toBe(1);
    for (const id of ['Acme', '', 'a:b', '-x', 'x'.repeat(64)]) {
      expect((await failure(tenants.create(id))).code).toBe('BAD_USER_INPUT');
      expect(await tenants.exists(id)).toBe(false);
    }
    expect((await failure(tenants.create(label(), 'bad\u001bname'))).code).toBe('BAD_USER_INPUT');
  });
});
