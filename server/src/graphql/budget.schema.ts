import { badInput, notFound, tenantIdPattern, toUsd } from '@ai-org/core';
import type { BudgetView } from '@ai-org/domain';
import { requireTenant } from '../auth/access';
import type { RequestContext } from '../context';
import type { Builder } from './builder';
import { microUsdArgument } from './usd-argument';

/** Largest budget one call may set or add: far beyond any real budget, far below float trouble. */
const maxAmountUsd = 1_000_000_000;

const toMicroUsd = (usd: number): number => microUsdArgument(usd, 'amountUsd', maxAmountUsd);

/**
 * The tenant a platform admin's budget change is for: the one named, else the caller's own. Another
 * tenant must exist (a development caller's own tenant is created as it is named).
 */
const adminTarget = async (ctx: RequestContext, named: string | null | undefined): Promise<string> => {
  const own = ctx.identity?.tenantId ?? null;
  const target = named ?? own;
  if (target === null) throw badInput('Name the tenant (tenantId): this credential acts for none');
  if (!tenantIdPattern.test(target)) throw badInput('tenantId must be a tenant id');
  if (target !== own && !(await ctx.services.tenants.exists(target))) throw notFound('No such tenant');
  return target;
};

/** The tenant's token budget: read it; set it or top it up (platform admins only). */
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
      authScopes: { tenantRole: 'viewer' },
      type: BudgetRef,
      resolve: (_root, _args, ctx) => ctx.services.budget.read(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    setBudget: t.field({
      authScopes: { platformAdmin: true },
      type: BudgetRef,
      description: 'Sets what is left to `amountUsd`. Platform admins only; `tenantId` defaults to your own.',
      args: { amountUsd: t.arg.float({ required: true }), tenantId: t.arg.id({ required: false }) },
      resolve: async (_root, args, ctx) =>
        ctx.services.budget.set(await adminTarget(ctx, args.tenantId), toMicroUsd(args.amountUsd)),
    }),
    topUpBudget: t.field({
      authScopes: { platformAdmin: true },
      type: BudgetRef,
      description: 'Adds `amountUsd` to the budget. Platform admins only; `tenantId` defaults to your own.',
      args: { amountUsd: t.arg.float({ required: true }), tenantId: t.arg.id({ required: false }) },
      resolve: async (_root, args, ctx) =>
        ctx.services.budget.topUp(await adminTarget(ctx, args.tenantId), toMicroUsd(args.amountUsd)),
    }),
  }));
  return { BudgetRef };
};
