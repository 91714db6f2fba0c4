import { AppError } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { maxUsageRangeDays, parseUsageTime, usagePeriod } from './usage.input';

const refusal = (request: Parameters<typeof usagePeriod>[0]): AppError | undefined => {
  try {
    usagePeriod(request);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
};

describe('parseUsageTime', () => {
  it('reads a calendar date as midnight UTC and a date-time at its offset', () => {
    expect(parseUsageTime('2025-03-01')).toBe(Date.UTC(2025, 2, 1));
    expect(parseUsageTime('2025-03-01T00:00:00Z')).toBe(Date.UTC(2025, 2, 1));
    expect(parseUsageTime('2025-03-01T01:30+01:30')).toBe(Date.UTC(2025, 2, 1));
    expect(parseUsageTime('2025-02-28T23:00:00-01:00')).toBe(Date.UTC(2025, 2, 1));
    expect(parseUsageTime('2025-03-01T23:59:59.999Z')).toBe(Date.UTC(2025, 2, 1, 23, 59, 59, 999));
    expect(parseUsageTime('2025-03-01T00:00:00.123456789Z')).toBe(Date.UTC(2025, 2, 1, 0, 0, 0, 123));
    expect(parseUsageTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-03-01T24:00:00Z',
    '2025-03-01T12:00:00', // a local time: which one?
    '2025-03-01T12:00:00+19:00',
    '20250301',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseUsageTime(text)).toBeNull();
  });
});

describe('usagePeriod', () => {
  it('takes [from, to) and the groups in the order given', () => {
    expect(usagePeriod({ from: '2025-03-01', to: '2025-03-02', groupBy: ['role', 'day'] })).toEqual({
      fromMs: Date.UTC(2025, 2, 1),
      toMs: Date.UTC(2025, 2, 2),
      groupBy: ['role', 'day'],
    });
    expect(usagePeriod({ from: '2025-03-01', to: '2025-03-02', groupBy: [] }).groupBy).toEqual([]);
  });

  it(`takes a period of exactly ${maxUsageRangeDays} days and refuses a millisecond more`, () => {
    expect(usagePeriod({ from: '2024-01-01', to: '2025-01-01', groupBy: ['day'] }).toMs).toBe(Date.UTC(2025, 0, 1));
    const longer = refusal({ from: '2024-01-01', to: '2025-01-01T00:00:00.001Z', groupBy: ['day'] });
    expect(longer?.code).toBe('BAD_USER_INPUT');
    expect(longer?.message).toMatch(/366 days/);
  });

  it.each([
    [{ from: '2025-03-02', to: '2025-03-01', groupBy: [] }, /from must be before to/],
    [{ from: '2025-03-01', to: '2025-03-01', groupBy: [] }, /from must be before to/],
    [{ from: 'soon', to: '2025-03-01', groupBy: [] }, /^from must be/],
    [{ from: '2025-03-01', to: '2025-02-30', groupBy: [] }, /^to must be/],
    [{ from: '2025-03-01', to: '2025-03-02', groupBy: ['day', 'day'] }, /day twice/],
    [{ from: '2025-03-01', to: '2025-03-02', groupBy: ['week'] }, /groupBy takes day, role, goal/],
  ])('refuses %j with BAD_USER_INPUT', (request, message) => {
    const error = refusal(request);
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(message);
  });
});
