import { describe, expect, it } from 'vitest';
import { isTenantRole, roleAtLeast, strongestRole } from './roles';

describe('tenant roles', () => {
  it('orders viewer < member < owner', () => {
    expect(roleAtLeast('owner', 'member')).toBe(true);
    expect(roleAtLeast('member', 'member')).toBe(true);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
    expect(roleAtLeast('member', 'owner')).toBe(false);
  });

  it('picks the strongest tenant role of a claim and ignores anything else', () => {
    expect(strongestRole(['viewer', 'owner', 'member'])).toBe('owner');
    expect(strongestRole(['platform_admin', 'admin', 7])).toBeUndefined();
  });

  it('recognises only the three tenant roles', () => {
    expect(['viewer', 'member', 'owner', 'platform_admin', 'Owner', 1].map(isTenantRole)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
