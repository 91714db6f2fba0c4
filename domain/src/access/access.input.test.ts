import { describe, expect, it } from 'vitest';
import { accessNameSchema, expiryProblem, latestExpiry, newApiKeySchema } from './access.input';

describe('access input', () => {
  it('accepts a name of 1 to 80 characters once trimmed', () => {
    expect(accessNameSchema.parse('  ci deploys  ')).toBe('ci deploys');
    expect(accessNameSchema.parse('x'.repeat(80))).toHaveLength(80);
    expect(accessNameSchema.safeParse('   ').success).toBe(false);
    expect(accessNameSchema.safeParse('x'.repeat(81)).success).toBe(false);
  });

  it('refuses control and bidirectional characters in a name', () => {
    for (const name of ['ci\nkey', 'ci\tkey', 'ci\u001b[31mkey', 'ci\u0000', 'ci\u202ekey', 'ci\ud800']) {
      expect(accessNameSchema.safeParse(name).success, JSON.stringify(name)).toBe(false);
    }
  });

  it('accepts the four grantable roles and nothing else', () => {
    for (const role of ['viewer', 'member', 'owner', 'platform_admin']) {
      expect(newApiKeySchema.safeParse({ name: 'k', role }).success).toBe(true);
    }
    for (const role of ['admin', 'OWNER', '', 'owner ']) {
      expect(newApiKeySchema.safeParse({ name: 'k', role }).success).toBe(false);
    }
  });

  it('treats a missing expiry as none and refuses an invalid date', () => {
    expect(newApiKeySchema.parse({ name: 'k', role: 'viewer' }).expiresAt).toBeNull();
    expect(newApiKeySchema.parse({ name: 'k', role: 'viewer', expiresAt: null }).expiresAt).toBeNull();
    expect(newApiKeySchema.safeParse({ name: 'k', role: 'viewer', expiresAt: new Date(Number.NaN) }).success).toBe(
      false,
    );
    expect(newApiKeySchema.safeParse({ name: 'k', role: 'viewer', expiresAt: '2030-01-01' }).success).toBe(false);
  });

  it('wants an expiry in the future and at most two calendar years ahead', () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    expect(expiryProblem(null, now)).toBeNull();
    expect(expiryProblem(new Date(now.getTime() + 1), now)).toBeNull();
    expect(expiryProblem(now, now)).toBe('must be in the future');
    expect(expiryProblem(new Date(now.getTime() - 1), now)).toBe('must be in the future');
    expect(latestExpiry(now).toISOString()).toBe('2028-03-01T10:00:00.000Z');
    expect(expiryProblem(latestExpiry(now), now)).toBeNull();
    expect(expiryProblem(new Date(latestExpiry(now).getTime() + 1), now)).toBe('must be at most 2 years ahead');
  });
});
