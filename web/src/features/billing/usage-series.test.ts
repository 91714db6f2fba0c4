import { describe, expect, it } from 'vitest';
import { dailySeries, usageWindow } from './usage-series';

describe('the usage chart series', () => {
  it('covers the last 30 UTC days, today included', () => {
    expect(usageWindow(new Date('2025-03-10T23:59:00Z'))).toEqual({
      from: '2025-02-09T00:00:00.000Z',
      to: '2025-03-11T00:00:00.000Z',
    });
  });

  it('has one entry per day, oldest first, with 0 for days without charges', () => {
    const window = usageWindow(new Date('2025-03-10T12:00:00Z'), 3);
    const series = dailySeries(
      [
        { day: '2025-03-10', usd: 0.5, tokens: 1200 },
        { day: '2025-03-08', usd: 0.25, tokens: 600 },
        { day: null, usd: 9, tokens: 9 },
      ],
      window,
    );
    expect(series).toEqual([
      { day: '2025-03-08', usd: 0.25, tokens: 600 },
      { day: '2025-03-09', usd: 0, tokens: 0 },
      { day: '2025-03-10', usd: 0.5, tokens: 1200 },
    ]);
  });
});
