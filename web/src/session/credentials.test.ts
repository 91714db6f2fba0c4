import { describe, expect, it } from 'vitest';
import { apiKeyProblem, connectionParams, requestHeaders, tenantPattern } from './credentials';

const key = `aiorg_${'A1_-'.repeat(10)}abc`;

describe('credentials', () => {
  it('sends a pasted API key as a Bearer Authorization header and nothing else', () => {
    expect(requestHeaders({ kind: 'api-key', apiKey: key })).toEqual({ authorization: `Bearer ${key}` });
  });

  it('puts the same credential in the socket connectionParams', () => {
    expect(connectionParams({ kind: 'api-key', apiKey: key })).toEqual({ authorization: `Bearer ${key}` });
    expect(connectionParams({ kind: 'development', tenant: 'acme', adminToken: 's3cret' })).toEqual({
      'x-tenant-id': 'acme',
      'x-admin-token': 's3cret',
    });
  });

  it('sends the development tenant, and the admin token only when one is set', () => {
    expect(requestHeaders({ kind: 'development', tenant: 'acme', adminToken: null })).toEqual({
      'x-tenant-id': 'acme',
    });
  });

  it('accepts exactly aiorg_ and 43 base64url characters as an API key', () => {
    expect(apiKeyProblem(key)).toBeNull();
    expect(apiKeyProblem(`  ${key}\n`)).toBeNull();
    expect(apiKeyProblem('')).toBe('Paste an API key');
    expect(apiKeyProblem('eyJhbGciOi.x.y')).toMatch(/start with "aiorg_"/);
    expect(apiKeyProblem(key.slice(0, -1))).toMatch(/not a whole API key/);
    expect(apiKeyProblem(`${key.slice(0, -1)}+`)).toMatch(/not a whole API key/);
  });

  it('never echoes the pasted value in its complaint', () => {
    const pasted = 'aiorg_tooShortButSecret';
    expect(apiKeyProblem(pasted)).not.toContain('tooShortButSecret');
  });

  it('accepts tenant ids as the API does', () => {
    expect(tenantPattern.test('test-web-1a2b')).toBe(true);
    expect(tenantPattern.test('Acme')).toBe(false);
    expect(tenantPattern.test('-acme')).toBe(false);
  });
});
