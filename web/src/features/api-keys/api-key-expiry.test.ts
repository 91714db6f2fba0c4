import { describe, expect, it } from 'vitest';
import { expiresAtFor } from './api-key-expiry';

describe('a new key expiry', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');

  it('is counted in days from now', () => {
    expect(expiresAtFor('30', now)).toBe('2026-12-31T12:00:00.000Z');
  });

  it('is absent for a key that never expires', () => {
    expect(expiresAtFor('never', now)).toBeNull();
  });
});
