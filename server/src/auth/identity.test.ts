import { describe, expect, it } from 'vitest';
import { identify } from './identity';

const options = { defaultTenant: 'demo', adminToken: 's3cret' };

describe('identify', () => {
  it('takes the tenant from the header first, then the default', () => {
    expect(identify({ 'x-tenant-id': 'acme' }, options)).toEqual({ tenantId: 'acme', isAdmin: false });
    expect(identify({}, options)).toEqual({ tenantId: 'demo', isAdmin: false });
    expect(identify({ 'x-tenant-id': '  ' }, { ...options, defaultTenant: undefined })).toBeUndefined();
  });

  it('refuses a malformed tenant id, including BullMQ-breaking colons', () => {
    expect(() => identify({ 'x-tenant-id': 'acme:dev' }, options)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
    expect(() => identify({ 'x-tenant-id': 'ACME' }, options)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });

  it('grants admin only for the configured token, and never when none is configured', () => {
    expect(identify({ 'x-admin-token': 's3cret' }, options)?.isAdmin).toBe(true);
    expect(identify({ 'x-admin-token': 's3cre' }, options)?.isAdmin).toBe(false);
    expect(identify({ 'x-admin-token': '' }, { ...options, adminToken: undefined })?.isAdmin).toBe(false);
  });
});
