import { badInput } from '@ai-org/core';
import type { UsageGroup, UsageGroupRecord, UsageRepository, UsageTotals } from '@ai-org/schema';
import { maxUsageRows, type UsageRequest, usagePeriod } from './usage.input';

export type UsageRow = UsageGroupRecord;

/** What a tenant was charged over a period, grouped; money in exact integer micro-USD. */
export interface UsageStatement {
  /** ISO 8601, UTC; inclusive. */
  readonly from: string;
  /** ISO 8601, UTC; exclusive. */
  readonly to: string;
  readonly groupBy: readonly UsageGroup[];
  /** Ordered by the groups in the order asked (days ascending, roles and goal ids alphabetically). */
  readonly rows: readonly UsageRow[];
  /** Σ of the rows. */
  readonly total: UsageTotals;
  /** The same charges summed by the ledger without grouping. */
  readonly ledger: UsageTotals;
  /** Whether the rows add up to the ledger, job for job, token for token, micro-USD for micro-USD. */
  readonly balanced: boolean;
}

const keyOf: Record<UsageGroup, (row: UsageRow) => string | null> = {
  day: (row) => row.day,
  role: (row) => row.role,
  goal: (row) => row.goalId,
};

/** Orders rows by each group in turn; a missing key (a charge of no goal) comes last. */
export const compareRows =
  (groupBy: readonly UsageGroup[]) =>
  (a: UsageRow, b: UsageRow): number => {
    for (const group of groupBy) {
      const [x, y] = [keyOf[group](a), keyOf[group](b)];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  };

export const sumRows = (rows: readonly UsageRow[]): UsageTotals =>
  rows.reduce(
    (sum, row) => ({
      jobs: sum.jobs + row.jobs,
      tokens: sum.tokens + row.tokens,
      microUsd: sum.microUsd + row.microUsd,
    }),
    { jobs: 0, tokens: 0n, microUsd: 0n },
  );

/** Usage statements: what the budget ledger charged a tenant, by day, role and goal. Read-only. */
export class UsageService {
  constructor(private readonly usage: UsageRepository) {}

  async statement(tenantId: string, request: UsageRequest): Promise<UsageStatement> {
    const period = usagePeriod(request);
    const aggregate = await this.usage.aggregate(tenantId, { ...period, maxRows: maxUsageRows });
    if (aggregate.groups > maxUsageRows) {
      throw badInput(
        `The statement would have ${aggregate.groups} rows, more than ${maxUsageRows}: ask for a shorter period or fewer groups`,
      );
    }
    const rows = [...aggregate.rows].sort(compareRows(period.groupBy));
    const total = sumRows(rows);
    const { ledger } = aggregate;
    return {
      from: new Date(period.fromMs).toISOString(),
      to: new Date(period.toMs).toISOString(),
      groupBy: period.groupBy,
      rows,
      total,
      ledger,
      balanced: total.jobs === ledger.jobs && total.tokens === ledger.tokens && total.microUsd === ledger.microUsd,
    };
  }
}
