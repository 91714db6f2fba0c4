import { badInput, microUsdPerUsd, toUsd } from '@ai-org/core';
import type { BudgetView } from '@ai-org/domain';
import { requireAdmin, requireTenant } from '../context';
import type { Builder } from './builder';

/** Largest budget one call may set or add: far beyond any real budget, far below float trouble. */
const maxAmountUsd = 1_000_000_000;

const toMicroUsd = (usd: number): number => {
  if (!Number.isFinite(usd) || usd < 0 || usd > maxAmountUsd) {
    throw badInput(`amountUsd must be a number from 0 to ${maxAmountUsd}`);
  }
  return Math.round(usd * microUsdPerUsd);
};

/** The tenant's token budget: read it; set it or top it up (admins only). */
export const addBudgetSchema = (builder: Builder) => {
  const BudgetRef = builder.objectRef<BudgetView>('Budget').implement({
    description: 'Money is kept in integer micro-USD; these fields show USD. left + reserved + spent = funded.',
    fields: (t) => ({
      leftUsd: t.float({ resolve: (b) => toUsd(b.left), description: 'Neither reserved nor spent.' }),
      reservedUsd: t.float({ resolve: (b) => toUsd(b.reserved), description: 'Held for queued and running jobs.' }),
      spentUsd: t.float({ resolve: (b) => toUsd(b.spent) }),
      fundedUsd: t.float({ resolve: (b) => toUsd(b.funded), description: 'Everything ever put in.' }),
      pricePer1kTokensUsd: t.float({ resolve: (b) => toUsd(b.microUsdPer1kTokens) }),
      minimumLeftUsd: t.float({
        resolve: (b) => toUsd(b.minimumLeftMicroUsd),
        description: 'No job is dispatched while less than this is left.',
      }),
    }),
  });

  builder.queryFields((t) => ({
    budget: t.field({
      type: BudgetRef,
      resolve: (_root, _args, ctx) => ctx.services.budget.read(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    setBudget: t.field({
      type: BudgetRef,
      description: 'Sets what is left to `amountUsd`. Admins only (x-admin-token).',
      args: { amountUsd: t.arg.float({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.budget.set(requireAdmin(ctx), toMicroUsd(args.amountUsd)),
    }),
    topUpBudget: t.field({
      type: BudgetRef,
      description: 'Adds `amountUsd` to the budget. Admins only (x-admin-token).',
      args: { amountUsd: t.arg.float({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.budget.topUp(requireAdmin(ctx), toMicroUsd(args.amountUsd)),
    }),
  }));
  return { BudgetRef };
};
