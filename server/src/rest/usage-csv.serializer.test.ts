import type { UsageStatement } from '@ai-org/domain';
import { describe, expect, it } from 'vitest';
import { csvCell, usageCsv, usageFileName, usageRequestOf, usdText } from './usage-csv.serializer';

const statement = (overrides: Partial<UsageStatement> = {}): UsageStatement => ({
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-03T00:00:00.000Z',
  groupBy: ['day', 'goal'],
  rows: [
    {
      day: '2025-03-01',
      role: null,
      goalId: 'g1',
      goalText: '=HYPERLINK("x")',
      jobs: 2,
      tokens: 300n,
      microUsd: 1_500n,
    },
    { day: '2025-03-02', role: null, goalId: null, goalText: null, jobs: 1, tokens: 0n, microUsd: 2_000_000n },
  ],
  total: { jobs: 3, tokens: 300n, microUsd: 2_001_500n },
  ledger: { jobs: 3, tokens: 300n, microUsd: 2_001_500n },
  balanced: true,
  ...overrides,
});

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', `"'\rCR"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=cmd|" /C calc"!A0', `"'=cmd|"" /C calc""!A0"`],
    ['plain text', 'plain text'],
    ['', ''],
  ])('writes %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });
});

describe('usdText', () => {
  it('writes micro-USD as exact USD with six decimals', () => {
    expect(usdText(0n)).toBe('0.000000');
    expect(usdText(1n)).toBe('0.000001');
    expect(usdText(1_234_567n)).toBe('1.234567');
    expect(usdText(9_007_199_254_740_993n)).toBe('9007199254.740993');
  });
});

describe('usageCsv', () => {
  it('writes a header, a row per group with its keys in the order asked, and a total row', () => {
    expect(usageCsv(statement()).split('\r\n')).toEqual([
      'day,goal_id,goal,jobs,tokens,usd,micro_usd',
      `2025-03-01,g1,"'=HYPERLINK(""x"")",2,300,0.001500,1500`,
      '2025-03-02,,,1,0,2.000000,2000000',
      'total,,,3,300,2.001500,2001500',
      '',
    ]);
  });

  it('names the file after the period', () => {
    expect(usageFileName(statement())).toBe('usage-2025-03-01-2025-03-03.csv');
  });
});

describe('usageRequestOf', () => {
  it('reads from, to and comma-separated groups in any case, day when none is named', () => {
    expect(usageRequestOf({ from: '2025-03-01', to: '2025-03-02', groupBy: 'DAY, role' })).toEqual({
      from: '2025-03-01',
      to: '2025-03-02',
      groupBy: ['day', 'role'],
    });
    expect(usageRequestOf({ from: 'a', to: 'b' }).groupBy).toEqual(['day']);
  });

  it.each([
    { to: '2025-03-02' },
    { from: '2025-03-01' },
    { from: 'a', to: 'b', groupBy: '' },
    { from: 'a', to: 'b', groupBy: 'day,' },
  ])('refuses %j with BAD_USER_INPUT', (query) => {
    expect(() => usageRequestOf(query)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
