import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, shortCommit } from './workspace-format';

describe('workspace figures', () => {
  it('shortens a commit id to 8 digits', () => {
    expect(shortCommit('0123456789abcdef0123456789abcdef01234567')).toBe('01234567');
  });

  it('writes durations in ms, seconds or minutes', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('writes sizes in bytes, KiB and MiB', () => {
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(4300)).toBe('4.2 KiB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
  });
});
