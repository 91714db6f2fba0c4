import { describe, expect, it } from 'vitest';
import { defaultRetryAfterMs, maxRetryAfterMs, parseRetryAfterMs } from './retry-after';

const now = Date.parse('2026-01-01T00:00:00Z');
const parse = (headers: Record<string, string>): number => parseRetryAfterMs(new Headers(headers), now);

describe('parseRetryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(parse({ 'retry-after': '2' })).toBe(2_000);
    expect(parse({ 'retry-after': '1.5' })).toBe(1_500);
  });

  it('reads Retry-After as an HTTP date', () => {
    expect(parse({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' })).toBe(30_000);
    expect(parse({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' })).toBe(0);
  });

  it('prefers retry-after-ms', () => {
    expect(parse({ 'retry-after-ms': '250', 'retry-after': '2' })).toBe(250);
  });

  it('falls back to the default when the header is absent or unreadable', () => {
    expect(parseRetryAfterMs(undefined)).toBe(defaultRetryAfterMs);
    expect(parse({})).toBe(defaultRetryAfterMs);
    expect(parse({ 'retry-after': 'soon' })).toBe(defaultRetryAfterMs);
  });

  it('caps what a server may ask for', () => {
    expect(parse({ 'retry-after': '86400' })).toBe(maxRetryAfterMs);
  });
});
