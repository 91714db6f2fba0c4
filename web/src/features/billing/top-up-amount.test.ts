import { describe, expect, it } from 'vitest';
import { parseTopUpAmount } from './top-up-amount';

const limits = { minUsd: 5, maxUsd: 10_000 };

describe('the top-up amount', () => {
  it('accepts whole cents within the limits', () => {
    expect(parseTopUpAmount('25', limits)).toEqual({ ok: true, amountUsd: 25 });
    expect(parseTopUpAmount(' 12.34 ', limits)).toEqual({ ok: true, amountUsd: 12.34 });
    expect(parseTopUpAmount('5', limits)).toEqual({ ok: true, amountUsd: 5 });
    expect(parseTopUpAmount('10000', limits)).toEqual({ ok: true, amountUsd: 10_000 });
  });

  it('refuses an amount outside the limits, fractions of a cent and text, saying why', () => {
    expect(parseTopUpAmount('4.99', limits)).toEqual({
      ok: false,
      reason: 'Enter an amount from $5.00 to $10,000.00.',
    });
    expect(parseTopUpAmount('10000.01', limits)).toMatchObject({ ok: false });
    expect(parseTopUpAmount('12.345', limits)).toEqual({ ok: false, reason: 'Whole cents only.' });
    expect(parseTopUpAmount('', limits)).toMatchObject({ ok: false });
    expect(parseTopUpAmount('ten', limits)).toMatchObject({ ok: false });
  });
});
