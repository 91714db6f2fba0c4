import type { UsageAggregate, UsageGroupRecord, UsageRange, UsageRepository } from '@ai-org/schema';
import { describe, expect, it } from 'vitest';
import { maxUsageRows } from './usage.input';
import { UsageService } from './usage.service';

const row = (keys: Partial<UsageGroupRecord>, microUsd: bigint, jobs = 1, tokens = 0n): UsageGroupRecord => ({
  day: null,
  role: null,
  goalId: null,
  goalText: null,
  jobs,
  tokens,
  microUsd,
  ...keys,
});

/** A repository answering `aggregate` as given, and remembering what it was asked. */
const serviceOver = (aggregate: UsageAggregate) => {
  const asked: UsageRange[] = [];
  const repository = {
    aggregate: async (_tenantId: string, range: UsageRange) => {
      asked.push(range);
      return aggregate;
    },
  } as unknown as UsageRepository;
  return { service: new UsageService(repository), asked };
};

const period = { from: '2025-03-01', to: '2025-03-03' };

describe('UsageService.statement', () => {
  it('orders rows by the groups in the order asked, a charge of no goal last', async () => {
    const rows = [
      row({ day: '2025-03-02', goalId: 'g1' }, 1n),
      row({ day: '2025-03-01', goalId: null }, 2n),
      row({ day: '2025-03-01', goalId: 'g2' }, 3n),
      row({ day: '2025-03-02', goalId: 'g0' }, 4n),
    ];
    const ledger = { jobs: 4, tokens: 0n, microUsd: 10n };
    const { service } = serviceOver({ rows, groups: 4, ledger });
    const byGoalThenDay = await service.statement('t', { ...period, groupBy: ['goal', 'day'] });
    expect(byGoalThenDay.rows.map((r) => r.microUsd)).toEqual([4n, 1n, 3n, 2n]);
    const byDayThenGoal = await service.statement('t', { ...period, groupBy: ['day', 'goal'] });
    expect(byDayThenGoal.rows.map((r) => r.microUsd)).toEqual([3n, 2n, 4n, 1n]);
  });

  it('totals the rows in integer micro-USD and says whether they add up to the ledger', async () => {
    const rows = [row({ role: 'dev' }, 9_007_199_254_740_993n, 2, 5n), row({ role: 'qa' }, 7n, 1, 3n)];
    const exact = { jobs: 3, tokens: 8n, microUsd: 9_007_199_254_741_000n };
    const balanced = await serviceOver({ rows, groups: 2, ledger: exact }).service.statement('t', {
      ...period,
      groupBy: ['role'],
    });
    expect(balanced.total).toEqual(exact);
    expect(balanced.balanced).toBe(true);
    const short = await serviceOver({
      rows,
      groups: 2,
      ledger: { ...exact, microUsd: exact.microUsd + 1n },
    }).service.statement('t', { ...period, groupBy: ['role'] });
    expect(short.balanced).toBe(false);
  });

  it('refuses a statement of more rows than it returns, asking for a shorter period or fewer groups', async () => {
    const { service, asked } = serviceOver({
      rows: [],
      groups: maxUsageRows + 1,
      ledger: { jobs: 0, tokens: 0n, microUsd: 0n },
    });
    await expect(service.statement('t', { ...period, groupBy: ['day', 'role', 'goal'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/shorter period or fewer groups/),
    });
    expect(asked[0]?.maxRows).toBe(maxUsageRows);
  });

  it('asks the ledger nothing when the period is refused', async () => {
    const { service, asked } = serviceOver({ rows: [], groups: 0, ledger: { jobs: 0, tokens: 0n, microUsd: 0n } });
    await expect(service.statement('t', { from: '2025-03-02', to: '2025-03-01', groupBy: [] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(asked).toEqual([]);
  });
});
