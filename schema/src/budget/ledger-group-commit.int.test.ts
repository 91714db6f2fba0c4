import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { LedgerRepository } from './ledger.repository';

/** Reserve and settle entries recorded at the same time share a transaction, and each is stored once. */
describe('the ledger’s job entries, recorded at the same time', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const ledger = new LedgerRepository(driver);
  const tenant = `test-ledger-group-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await driver.executeQuery('MATCH (e:LedgerEntry {tenantId: $tenant}) DETACH DELETE e', { tenant });
    await driver.close();
  });

  it('stores each entry once, says which call created it, and keeps every field', async () => {
    const jobs = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    const created = await Promise.all([
      ...jobs.map((jobId, i) => ledger.record(tenant, { kind: 'reserve', jobId, amountMicroUsd: 100 + i })),
      // The same job's entry twice at once, and once more: one of the three creates it.
      ...[1, 2, 3].map(() => ledger.record(tenant, { kind: 'reserve', jobId: 'job-twice', amountMicroUsd: 7 })),
      ledger.record(tenant, {
        kind: 'settle',
        jobId: 'job-0',
        amountMicroUsd: 90,
        details: { tokens: 180, taskId: 'task-0', role: 'dev' },
      }),
    ]);
    expect(created.slice(0, 40).every((c) => c === true)).toBe(true);
    expect(created.slice(40, 43).filter((c) => c === true)).toHaveLength(1);
    expect(created[43]).toBe(true);
    expect(await ledger.record(tenant, { kind: 'reserve', jobId: 'job-1', amountMicroUsd: 1 })).toBe(false);

    const snapshot = await ledger.snapshot(tenant);
    expect(snapshot.reservations.size).toBe(40); // job-0 settled, job-twice open once
    expect(snapshot.reservations.get('job-twice')).toBe(7);
    expect(snapshot.reservations.get('job-1')).toBe(101);
    expect(snapshot.settlements).toEqual(new Map([['job-0', 90]]));
    const { records } = await driver.executeQuery(
      "MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'settle'}) RETURN e { .* } AS e",
      { tenant },
    );
    expect(records[0]?.get('e')).toMatchObject({ jobId: 'job-0', tokens: 180, taskId: 'task-0', role: 'dev' });
  });
});
