import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../migrations';
import { createNeo4jDriver } from '../neo4j-driver';
import { TenantRepository } from '../tenants/tenant.repository';
import { ApiKeyRepository, type NewApiKeyRecord, newApiKeyId } from './api-key.repository';

describe('ApiKeyRepository', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const keys = new ApiKeyRepository(driver, config.neo4j.database);
  const tenants = new TenantRepository(driver, config.neo4j.database);
  const alice = `test-keyrepo-${randomBytes(4).toString('hex')}`;
  const bob = `test-keyrepo-${randomBytes(4).toString('hex')}`;
  const platformKeyIds: string[] = [];

  const record = (tenantId: string | null, overrides: Partial<NewApiKeyRecord> = {}): NewApiKeyRecord => ({
    id: newApiKeyId(),
    tenantId,
    name: 'ci',
    role: tenantId === null ? 'platform_admin' : 'member',
    prefix: 'aiorg_abcdef',
    hash: randomBytes(32).toString('hex'),
    createdAt: new Date(),
    expiresAt: null,
    ...overrides,
  });

  const created = async (input: NewApiKeyRecord, maxActive?: number) => {
    const outcome = await keys.create(input, { maxActive });
    if (outcome.status !== 'created') throw new Error(`expected a created key, got ${outcome.status}`);
    return outcome.key;
  };

  beforeAll(async () => {
    await migrate(driver, config.neo4j.database);
    await tenants.create(alice, 'Alice');
    await tenants.create(bob, 'Bob');
  });

  afterAll(async () => {
    await driver.executeQuery(
      `MATCH (k:ApiKey) WHERE k.tenantId IN $tenantIds OR k.id IN $platformKeyIds DETACH DELETE k
       WITH count(*) AS ignored
       MATCH (tn:Tenant) WHERE tn.id IN $tenantIds DETACH DELETE tn`,
      { tenantIds: [alice, bob], platformKeyIds },
      { database: config.neo4j.database },
    );
    await driver.close();
  });

  it('stores a tenant key under its tenant and finds it by hash, with the hash; lists it without', async () => {
    const input = record(alice, { expiresAt: new Date(Date.now() + 86_400_000) });
    const key = await created(input);
    expect(key).toMatchObject({ id: input.id, tenantId: alice, role: 'member', prefix: 'aiorg_abcdef' });
    expect(key).not.toHaveProperty('hash');
    expect(key.createdAt).toBe(input.createdAt.toISOString());
    expect(key.expiresAt).toBe(input.expiresAt?.toISOString());
    expect(key.lastUsedAt).toBeNull();
    expect(key.revokedAt).toBeNull();

    expect(await keys.findByHash(input.hash)).toEqual({ ...key, hash: input.hash });
    const listed = await keys.list(alice);
    expect(listed.map((k) => k.id)).toContain(input.id);
    expect(JSON.stringify(listed)).not.toContain(input.hash);
    expect(await keys.list(bob)).toEqual([]);
  });

  it('refuses a key for a tenant that does not exist, and a second key with the same hash', async () => {
    expect(await keys.create(record(`test-keyrepo-missing-${randomBytes(4).toString('hex')}`))).toEqual({
      status: 'no-tenant',
    });
    const first = record(alice);
    await created(first);
    await expect(keys.create(record(alice, { hash: first.hash }))).rejects.toThrow(/already exists/);
  });

  it('stores a platform-admin key under no tenant', async () => {
    const input = record(null);
    platformKeyIds.push(input.id);
    const key = await created(input);
    expect(key.tenantId).toBeNull();
    expect((await keys.findByHash(input.hash))?.role).toBe('platform_admin');
    expect((await keys.list(null)).map((k) => k.id)).toContain(input.id);
    expect((await keys.list(alice)).map((k) => k.id)).not.toContain(input.id);
  });

  it('revokes only within the tenant: another tenant’s key id is answered like a missing one', async () => {
    const input = record(alice);
    await created(input);
    expect(await keys.revoke(bob, input.id)).toBeNull();
    expect(await keys.revoke(bob, newApiKeyId())).toBeNull();
    expect(await keys.revoke(null, input.id)).toBeNull();
    expect((await keys.findByHash(input.hash))?.revokedAt).toBeNull();

    const at = new Date('2026-01-02T03:04:05.000Z');
    const revoked = await keys.revoke(alice, input.id, at);
    expect(revoked?.revokedAt).toBe(at.toISOString());
    const again = await keys.revoke(alice, input.id, new Date());
    expect(again?.revokedAt).toBe(at.toISOString());
  });

  it('records the last use only when it is more than a minute older', async () => {
    const input = record(alice);
    await created(input);
    const t0 = new Date('2026-06-01T12:00:00.000Z');
    expect(await keys.touch(input.id, t0)).toBe(true);
    expect(await keys.touch(input.id, new Date(t0.getTime() + 30_000))).toBe(false);
    expect((await keys.findByHash(input.hash))?.lastUsedAt).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + 61_000);
    expect(await keys.touch(input.id, later)).toBe(true);
    expect((await keys.findByHash(input.hash))?.lastUsedAt).toBe(later.toISOString());
    expect(await keys.touch(newApiKeyId(), later)).toBe(false);
  });

  it('counts only active keys and stops creating at the limit', async () => {
    const now = Date.now();
    await created(record(bob));
    await created(record(bob, { expiresAt: new Date(now + 60_000) }));
    const expiring = record(bob, { createdAt: new Date(now - 120_000), expiresAt: new Date(now - 60_000) });
    await created(expiring);
    const revoked = record(bob);
    await created(revoked);
    await keys.revoke(bob, revoked.id);
    expect(await keys.countActive(bob)).toBe(2);
    // 90 s ago, the expired key was active still; the revoked one never counts again.
    expect(await keys.countActive(bob, new Date(now - 90_000))).toBe(3);

    await created(record(bob), 3);
    expect(await keys.create(record(bob), { maxActive: 3 })).toEqual({ status: 'limit' });
    expect(await keys.countActive(bob)).toBe(3);
  });

  it('does not find a tenant key once its tenant is gone', async () => {
    const gone = `test-keyrepo-${randomBytes(4).toString('hex')}`;
    await tenants.create(gone, 'Gone');
    const input = record(gone);
    await created(input);
    try {
      await driver.executeQuery('MATCH (tn:Tenant {id: $gone}) DETACH DELETE tn', { gone });
      expect(await keys.findByHash(input.hash)).toBeNull();
    } finally {
      await driver.executeQuery('MATCH (k:ApiKey {tenantId: $gone}) DETACH DELETE k', { gone });
    }
  });
});
