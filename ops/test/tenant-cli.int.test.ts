import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ai-org/core';
import { ApiKeyService, TenantService } from '@ai-org/domain';
import { ApiKeyRepository, createNeo4jDriver, TenantRepository } from '@ai-org/schema';
import { testEnv } from '@ai-org/testing/workers';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an entry point as its own process, the way `npm run` does, and collects what it printed. */
const runEntry = (entry: string, args: readonly string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: testEnv() as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

const createTenant = (...args: string[]) => runEntry('ops/tenant/create-tenant.main.ts', args);
const createAdminKey = (...args: string[]) => runEntry('ops/tenant/create-admin-key.main.ts', args);
const secretLine = /^aiorg_[A-Za-z0-9_-]{43}\n$/;

describe('tenant and admin key commands', () => {
  const config = loadConfig(process.env);
  const database = config.neo4j.database;
  const driver = createNeo4jDriver(config.neo4j);
  const apiKeys = new ApiKeyService(new ApiKeyRepository(driver, database));
  const tenants = new TenantService(new TenantRepository(driver, database), apiKeys);
  const tenant = `test-cli-${randomBytes(4).toString('hex')}`;
  const platformKeyIds: string[] = [];

  afterAll(async () => {
    await driver.executeQuery(
      `MATCH (k:ApiKey) WHERE k.tenantId = $tenant OR k.id IN $platformKeyIds DETACH DELETE k
       WITH count(*) AS ignored
       MATCH (tn:Tenant {id: $tenant}) DETACH DELETE tn`,
      { tenant, platformKeyIds },
      { database },
    );
    await driver.close();
  });

  it('creates the tenant and prints its first owner key once, alone on stdout', async () => {
    const run = await createTenant('--tenant', tenant, '--name', 'Acme Test');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(secretLine);
    const secret = run.stdout.trim();
    expect(run.stderr).toContain(`created tenant "${tenant}"`);
    expect(run.stderr.split('\n').filter((line) => /will not be shown again/.test(line))).toHaveLength(1);
    expect(run.stderr).not.toContain(secret.slice(12));

    expect(await tenants.exists(tenant)).toBe(true);
    expect(await apiKeys.verify(secret)).toMatchObject({ tenantId: tenant, role: 'owner', expiresAt: null });
    expect(await apiKeys.list(tenant)).toEqual([
      expect.objectContaining({ name: 'first owner key', role: 'owner', prefix: secret.slice(0, 12) }),
    ]);
  });

  it('refuses an existing tenant with exit code 1, a clear message and no key', async () => {
    const run = await createTenant('--tenant', tenant);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Tenant ${tenant} exists already`);
    expect(run.stderr).not.toMatch(/aiorg_|\n\s+at /);
    expect(await apiKeys.list(tenant)).toHaveLength(1);
  });

  it('refuses bad arguments with exit code 2 and the usage, creating nothing', async () => {
    const missing = `test-cli-${randomBytes(4).toString('hex')}`;
    // The other argument mistakes are covered by access-command.test.ts; these two prove the process's answer.
    const cases = [
      ['--tenant', 'Not A Tenant'],
      ['--tenant', missing, '--bogus', 'x'],
    ];
    const runs = await Promise.all(cases.map((args) => createTenant(...args)));
    runs.forEach((run, index) => {
      expect(run.code, cases[index]?.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: .+\nusage: npm run tenant:create/);
    });
    expect(await tenants.exists(missing)).toBe(false);
  }, 120_000);

  it('prints a platform-admin key that belongs to no tenant', async () => {
    const run = await createAdminKey('--name', 'ops test');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(secretLine);
    const verified = await apiKeys.verify(run.stdout.trim());
    if (verified) platformKeyIds.push(verified.keyId);
    expect(verified).toMatchObject({ tenantId: null, role: 'platform_admin' });
    expect(run.stderr).toMatch(/will not be shown again/);
  });
});
