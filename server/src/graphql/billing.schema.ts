import { toUsd } from '@ai-org/core';
import type { BillingStatus } from '@ai-org/domain';
import type { BillingAccount, TopUpRecord } from '@ai-org/schema';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';
import { microUsdArgument } from './usd-argument';

/** USD from the API to integer micro-USD; the services check each amount's own range. */
const microUsdOf = (usd: number, name: string): number => microUsdArgument(usd, name, 1_000_000);

/** Stripe top-ups and automatic reloads: viewers see, owners pay. */
export const addBillingSchema = (builder: Builder) => {
  const TopUpRef = builder.objectRef<TopUpRecord>('TopUp').implement({
    description: 'A payment into the budget: a Stripe Checkout top-up or an automatic reload.',
    fields: (t) => ({
      id: t.exposeID('sessionId', {
        description: 'The Checkout Session (cs_…) or, for a reload, the PaymentIntent (pi_…).',
      }),
      amountUsd: t.float({ resolve: (topUp) => topUp.amountCents / 100 }),
      status: t.exposeString('status', { description: 'open (not paid yet) or paid (credited once).' }),
      createdAt: t.exposeString('createdAt'),
      paidAt: t.exposeString('paidAt', { nullable: true }),
    }),
  });

  const AutoReloadRef = builder.objectRef<BillingAccount>('AutoReload').implement({
    description: 'When less than thresholdUsd is left, amountUsd is charged to the card saved by a top-up.',
    fields: (t) => ({
      enabled: t.boolean({ resolve: (account) => account.autoReload.enabled }),
      thresholdUsd: t.float({ resolve: (account) => toUsd(account.autoReload.thresholdMicroUsd) }),
      amountUsd: t.float({ resolve: (account) => toUsd(account.autoReload.amountMicroUsd) }),
      cardSaved: t.boolean({ resolve: (account) => account.customerId !== null && account.paymentMethodId !== null }),
      lastFailure: t.exposeString('lastReloadFailure', {
        nullable: true,
        description: 'Why the last reload failed; auto-reload stays off until an owner sets it again.',
      }),
    }),
  });

  const BillingRef = builder.objectRef<BillingStatus>('Billing').implement({
    fields: (t) => ({
      topUpsConfigured: t.exposeBoolean('topUpsConfigured', {
        description: 'False when the platform has no Stripe account configured: no top-ups are possible.',
      }),
      topUpMinUsd: t.float({ resolve: (b) => toUsd(b.topUpMinMicroUsd) }),
      topUpMaxUsd: t.float({ resolve: (b) => toUsd(b.topUpMaxMicroUsd) }),
      topUps: t.field({ type: [TopUpRef], resolve: (b) => [...b.topUps], description: 'The latest 20, newest first.' }),
      autoReload: t.field({ type: AutoReloadRef, resolve: (b) => b.account }),
      monthlySpendCapUsd: t.float({
        nullable: true,
        description: 'The most the tenant may spend in a calendar month (UTC); null = no cap.',
        resolve: (b) => (b.account.monthlySpendCapMicroUsd === null ? null : toUsd(b.account.monthlySpendCapMicroUsd)),
      }),
      monthToDateUsd: t.float({
        description: 'Reserved or charged this calendar month, as the cap counts it.',
        resolve: (b) => toUsd(b.monthToDateMicroUsd),
      }),
    }),
  });

  const CheckoutRef = builder
    .objectRef<{ sessionId: string; url: string; amountCents: number }>('TopUpCheckout')
    .implement({
      fields: (t) => ({
        sessionId: t.exposeID('sessionId'),
        url: t.exposeString('url', { description: 'Send the payer here; Stripe sends them back to the Billing page.' }),
        amountUsd: t.float({ resolve: (c) => c.amountCents / 100 }),
      }),
    });

  builder.queryFields((t) => ({
    billing: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: BillingRef,
      resolve: (_root, _args, ctx) => ctx.services.billing.status(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    createTopUpCheckout: t.field({
      authScopes: { tenantRole: 'owner' },
      type: CheckoutRef,
      description: 'A Stripe Checkout page for a top-up of `amountUsd` (whole cents, within the platform’s limits).',
      args: { amountUsd: t.arg.float({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.billing.createTopUpCheckout(requireTenant(ctx), microUsdOf(args.amountUsd, 'amountUsd')),
    }),
    setMonthlySpendCap: t.field({
      authScopes: { tenantRole: 'owner' },
      type: BillingRef,
      description:
        'The most the tenant may spend in a calendar month (UTC); null removes the cap. Tasks past it wait for budget.',
      args: { capUsd: t.arg.float({ required: false }) },
      resolve: async (_root, args, ctx) => {
        const tenantId = requireTenant(ctx);
        const cap = args.capUsd === null || args.capUsd === undefined ? null : microUsdOf(args.capUsd, 'capUsd');
        await ctx.services.billing.setMonthlySpendCap(tenantId, cap);
        return ctx.services.billing.status(tenantId);
      },
    }),
    setAutoReload: t.field({
      authScopes: { tenantRole: 'owner' },
      type: AutoReloadRef,
      description: 'When less than `thresholdUsd` is left, charge `amountUsd` to the saved card (one at a time).',
      args: {
        enabled: t.arg.boolean({ required: true }),
        thresholdUsd: t.arg.float({ required: true }),
        amountUsd: t.arg.float({ required: true }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.billing.setAutoReload(requireTenant(ctx), {
          enabled: args.enabled,
          thresholdMicroUsd: microUsdOf(args.thresholdUsd, 'thresholdUsd'),
          amountMicroUsd: microUsdOf(args.amountUsd, 'amountUsd'),
        }),
    }),
  }));
};
