import type { StoredTenantLimits, TenantLimitsRepository } from '@ai-org/schema';
import { describe, expect, it } from 'vitest';
import { TenantLimitsService } from './tenant-limits.service';

const policy = {
  defaults: { maxRunningJobs: 8, tokensPerMinute: 200_000 },
  maxima: { maxRunningJobs: 64, tokensPerMinute: 10_000_000 },
};

/** A repository in memory: what the service writes is what it reads back. */
const memory = (initial: StoredTenantLimits = { maxRunningJobs: null, tokensPerMinute: null }) => {
  let stored = initial;
  let writes = 0;
  const repository = {
    read: async () => stored,
    write: async (_tenantId: string, limits: { maxRunningJobs?: number; tokensPerMinute?: number }) => {
      writes += 1;
      stored = {
        maxRunningJobs: limits.maxRunningJobs ?? stored.maxRunningJobs,
        tokensPerMinute: limits.tokensPerMinute ?? stored.tokensPerMinute,
      };
      return stored;
    },
  } as unknown as TenantLimitsRepository;
  return { service: new TenantLimitsService(repository, policy), writes: () => writes };
};

describe('TenantLimitsService', () => {
  it('answers the platform defaults for a tenant that set nothing', async () => {
    expect(await memory().service.read('t')).toEqual({ ...policy.defaults, maxima: policy.maxima });
  });

  it('sets the values given and leaves the others as they are', async () => {
    const { service } = memory();
    await service.set('t', { maxRunningJobs: 2 });
    expect(await service.set('t', { tokensPerMinute: 5_000, maxRunningJobs: null })).toMatchObject({
      maxRunningJobs: 2,
      tokensPerMinute: 5_000,
    });
  });

  it.each([
    { maxRunningJobs: 0 },
    { maxRunningJobs: 65 },
    { maxRunningJobs: 1.5 },
    { tokensPerMinute: -1 },
    { tokensPerMinute: 10_000_001 },
  ])('refuses %o with BAD_USER_INPUT and writes nothing', async (change) => {
    const { service, writes } = memory();
    await expect(service.set('t', change)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(writes()).toBe(0);
  });

  it('counts a stored value above a lowered maximum as the maximum', async () => {
    const { service } = memory({ maxRunningJobs: 500, tokensPerMinute: 50_000_000 });
    expect(await service.read('t')).toMatchObject({ maxRunningJobs: 64, tokensPerMinute: 10_000_000 });
  });
});
