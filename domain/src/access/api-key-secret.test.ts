import { describe, expect, it } from 'vitest';
import {
  apiKeyDisplayPrefix,
  apiKeyPattern,
  apiKeySecretLength,
  hashApiKeySecret,
  looksLikeApiKey,
  newApiKeySecret,
} from './api-key-secret';

describe('API key secrets', () => {
  it('start with aiorg_ and match the documented scanner pattern', () => {
    for (let i = 0; i < 200; i += 1) {
      const secret = newApiKeySecret();
      expect(secret).toMatch(/^aiorg_[A-Za-z0-9_-]{43}$/);
      expect(secret).toHaveLength(apiKeySecretLength);
      expect(looksLikeApiKey(secret)).toBe(true);
    }
  });

  it('are a scanner match even inside other text, as a leaked key would be', () => {
    const secret = newApiKeySecret();
    const unanchored = new RegExp(apiKeyPattern.source.slice(1, -1));
    expect(`export AI_ORG_KEY="${secret}"`.match(unanchored)?.[0]).toBe(secret);
  });

  it('are never repeated', () => {
    const secrets = new Set(Array.from({ length: 1_000 }, newApiKeySecret));
    expect(secrets.size).toBe(1_000);
  });

  it('are stored as the SHA-256 hex of the whole secret', () => {
    // echo -n 'aiorg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' | sha256sum
    const secret = `aiorg_${'A'.repeat(43)}`;
    expect(hashApiKeySecret(secret)).toBe('86de2cf3b9901687a2db831576040e35403143bc989e8db17908f7d4f9cf340b');
    expect(hashApiKeySecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKeySecret(`${secret.slice(0, -1)}B`)).not.toBe(hashApiKeySecret(secret));
  });

  it('show only their first 12 characters in lists', () => {
    const secret = newApiKeySecret();
    expect(apiKeyDisplayPrefix(secret)).toBe(secret.slice(0, 12));
    expect(apiKeyDisplayPrefix(secret)).toMatch(/^aiorg_.{6}$/);
  });

  it('tell keys from JWTs, other vendors’ keys and near misses', () => {
    const secret = newApiKeySecret();
    for (const value of [
      '',
      'aiorg_',
      secret.slice(0, -1),
      `${secret}A`,
      `AIORG_${secret.slice(6)}`,
      `aiorg_${'A'.repeat(42)}=`,
      `aiorg_${'A'.repeat(42)}+`,
      ` ${secret.slice(1)}`,
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      `ghp_${'a'.repeat(36)}`,
    ]) {
      expect(looksLikeApiKey(value), JSON.stringify(value)).toBe(false);
    }
  });
});
