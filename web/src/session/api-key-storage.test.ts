import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKeyStorageKey, forgetApiKey, readApiKey, saveApiKey } from './api-key-storage';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const key = `aiorg_${'x'.repeat(43)}`;

describe('the pasted API key', () => {
  let local: MemoryStorage;
  let session: MemoryStorage;
  beforeEach(() => {
    local = new MemoryStorage();
    session = new MemoryStorage();
    vi.stubGlobal('window', { localStorage: local, sessionStorage: session });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is kept in sessionStorage and never in localStorage', () => {
    saveApiKey(` ${key} `);
    expect(session.items.get(apiKeyStorageKey)).toBe(key);
    expect(local.items.size).toBe(0);
    expect(readApiKey()).toBe(key);
  });

  it('is gone after signing out', () => {
    saveApiKey(key);
    forgetApiKey();
    expect(readApiKey()).toBeNull();
    expect(session.items.size).toBe(0);
  });

  it('is simply absent when the browser refuses storage', () => {
    vi.stubGlobal('window', {
      get sessionStorage(): never {
        throw new Error('SecurityError');
      },
    });
    expect(() => saveApiKey(key)).not.toThrow();
    expect(readApiKey()).toBeNull();
  });
});
