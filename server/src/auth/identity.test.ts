import { describe, expect, it } from 'vitest';
import { identify } from './identity';

describe('identify', () => {
  it('takes the tenant from the header first, then the default', () => {
    expect(identify('acme', 'demo')).toEqual({ tenantId: 'acme' });
    expect(identify(undefined, 'demo')).toEqual({ tenantId: 'demo' });
    expect(identify('  ', undefined)).toBeUndefined();
  });

  it('refuses a malformed tenant id, including BullMQ-breaking colons', () => {
    expect(() => identify('acme:dev', undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => identify('ACME', undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});
