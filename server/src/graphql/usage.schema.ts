import { microUsdPerUsd } from '@ai-org/core';
import type { UsageRow, UsageStatement } from '@ai-org/domain';
import type { UsageGroup } from '@ai-org/schema';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/** USD as a Float, from exact micro-USD (exact below 2^53 micro-USD, some 9 billion USD). */
const usdOf = (microUsd: bigint): number => Number(microUsd) / microUsdPerUsd;

/** A tenant's usage statement: what the budget ledger charged over a period, grouped by day, role and goal. */
export const addUsageSchema = (builder: Builder) => {
  const UsageGroupRef = builder.enumType('UsageGroup', {
    description: 'A dimension a usage statement groups by.',
    values: {
      DAY: { value: 'day' as const, description: 'The UTC day of the charge (YYYY-MM-DD).' },
      ROLE: {
        value: 'role' as const,
        description: 'The agent role (dev, ux_ui, qa, telemetry), planning, routing, or unattributed.',
      },
      GOAL: { value: 'goal' as const, description: 'The goal the work was for (none for hand-made tasks).' },
    },
  });

  const UsageRowRef = builder.objectRef<UsageRow>('UsageRow').implement({
    description: 'The charges of one group. A key is null when the statement does not group by it.',
    fields: (t) => ({
      day: t.string({ nullable: true, resolve: (row) => row.day, description: 'YYYY-MM-DD (UTC).' }),
      role: t.string({ nullable: true, resolve: (row) => row.role }),
      goalId: t.id({ nullable: true, resolve: (row) => row.goalId, description: 'Null also for work of no goal.' }),
      goalText: t.string({ nullable: true, resolve: (row) => row.goalText }),
      jobs: t.int({
        resolve: (row) => row.jobs,
        description: 'Charged jobs (role jobs, agent steps, planning, routing).',
      }),
      tokens: t.float({
        resolve: (row) => Number(row.tokens),
        description: 'Tokens used (a whole number); charges recorded before tokens were kept count 0.',
      }),
      usd: t.float({ resolve: (row) => usdOf(row.microUsd) }),
      microUsd: t.string({ resolve: (row) => row.microUsd.toString(), description: 'Exact: an integer in a string.' }),
    }),
  });

  const UsageStatementRef = builder.objectRef<UsageStatement>('UsageStatement').implement({
    description:
      'What the budget ledger charged over [from, to), grouped. Totals are summed in integer micro-USD; ' +
      '`balanced` checks them against the ledger summed without grouping.',
    fields: (t) => ({
      from: t.field({ type: 'DateTime', resolve: (s) => s.from }),
      to: t.field({ type: 'DateTime', resolve: (s) => s.to, description: 'Exclusive.' }),
      groupBy: t.field({ type: [UsageGroupRef], resolve: (s) => [...s.groupBy] }),
      rows: t.field({
        type: [UsageRowRef],
        resolve: (s) => [...s.rows],
        description: 'Ordered by the groups in the order asked; only groups with charges appear.',
      }),
      jobs: t.int({ resolve: (s) => s.total.jobs }),
      totalTokens: t.float({ resolve: (s) => Number(s.total.tokens) }),
      totalUsd: t.float({ resolve: (s) => usdOf(s.total.microUsd) }),
      totalMicroUsd: t.string({ resolve: (s) => s.total.microUsd.toString() }),
      ledgerMicroUsd: t.string({
        resolve: (s) => s.ledger.microUsd.toString(),
        description: 'Σ of the period’s charges as the ledger sums them, without grouping.',
      }),
      balanced: t.boolean({
        resolve: (s) => s.balanced,
        description: 'The rows add up to the ledger: jobs, tokens and micro-USD.',
      }),
    }),
  });

  builder.queryFields((t) => ({
    usage: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: UsageStatementRef,
      description: `Your usage statement from the budget ledger: [from, to) at most 366 days, grouped by any of DAY, ROLE, GOAL (in the order given; each once).`,
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        groupBy: t.arg({ type: [UsageGroupRef], required: true, defaultValue: ['day'] as UsageGroup[] }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.usage.statement(requireTenant(ctx), { from: args.from, to: args.to, groupBy: args.groupBy }),
    }),
  }));
};
