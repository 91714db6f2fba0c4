import { randomUUID } from 'node:crypto';
import { AppError, badInput, type Logger, notFound, type RedisClient, serviceUnavailable } from '@ai-org/core';
import type { BillingAccount, BillingRepository, TenantRepository, TopUpRecord } from '@ai-org/schema';
import type Stripe from 'stripe';
import type { BudgetService } from '../budget/budget.service';
import type { NotificationPublisher } from '../notifications/notification.publisher';

/** Stripe counts US dollars in cents; the budget in micro-USD. */
export const microUsdPerCent = 10_000;

export interface BillingOptions {
  readonly repository: BillingRepository;
  readonly budget: BudgetService;
  readonly tenants: Pick<TenantRepository, 'exists'>;
  readonly notifications: Pick<NotificationPublisher, 'publish'>;
  /** For the one-reload-in-flight lock. */
  readonly redis: RedisClient;
  readonly logger: Logger;
  /** Unset: top-ups are not configured. */
  readonly stripe?: { readonly client: Stripe; readonly webhookSecret: string };
  /** The web client's Billing page; Checkout sends the payer back there. */
  readonly returnUrl: string;
  readonly topUpMinMicroUsd: number;
  readonly topUpMaxMicroUsd: number;
  /** How long after one automatic reload the next may start (the lock's lifetime). */
  readonly reloadCooldownMs?: number;
}

export interface BillingStatus {
  readonly topUpsConfigured: boolean;
  readonly topUpMinMicroUsd: number;
  readonly topUpMaxMicroUsd: number;
  readonly topUps: readonly TopUpRecord[];
  readonly account: BillingAccount;
  /** Reserved or charged this calendar month (UTC), as the monthly spend cap counts it. */
  readonly monthToDateMicroUsd: number;
}

/** What a webhook delivery did; refusals are thrown (AppError) and answered 400. */
export interface WebhookOutcome {
  readonly status: 'credited' | 'completed' | 'replayed' | 'ignored';
  readonly eventId: string;
  readonly tenantId?: string;
  readonly detail: string;
}

export type ReloadOutcome =
  | { readonly status: 'not_needed' | 'in_flight' | 'not_configured' }
  | { readonly status: 'credited'; readonly paymentIntentId: string }
  | { readonly status: 'failed'; readonly reason: string };

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

const notConfigured = () =>
  new AppError('CONFLICT', 'Top-ups are not configured on this platform (no STRIPE_SECRET_KEY)');

/**
 * Money in and out through Stripe: Checkout top-ups, refunds and disputes reported by signed webhook
 * events, and automatic reloads with a saved card. Every payment reaches the budget through
 * `BudgetService.credit` under an id of its own, so each is credited exactly once.
 */
export class BillingService {
  constructor(private readonly deps: BillingOptions) {}

  get configured(): boolean {
    return this.deps.stripe !== undefined;
  }

  async status(tenantId: string): Promise<BillingStatus> {
    const [topUps, account, monthly] = await Promise.all([
      this.deps.repository.recentTopUps(tenantId, 20),
      this.deps.repository.account(tenantId),
      this.deps.budget.monthly(tenantId),
    ]);
    // The cap is kept in Neo4j first, then applied to the gate: a crash in between is repaired here.
    if (monthly.cap !== account.monthlySpendCapMicroUsd) {
      await this.deps.budget.applyMonthlyCap(tenantId, account.monthlySpendCapMicroUsd);
    }
    return {
      monthToDateMicroUsd: monthly.used,
      topUpsConfigured: this.configured,
      topUpMinMicroUsd: this.deps.topUpMinMicroUsd,
      topUpMaxMicroUsd: this.deps.topUpMaxMicroUsd,
      topUps,
      account,
    };
  }

  /** A Checkout Session for `amountMicroUsd` (whole cents); the payer goes to its URL and comes back. */
  async createTopUpCheckout(
    tenantId: string,
    amountMicroUsd: number,
  ): Promise<{ readonly sessionId: string; readonly url: string; readonly amountCents: number }> {
    const stripe = this.deps.stripe;
    if (!stripe) throw notConfigured();
    const { topUpMinMicroUsd: min, topUpMaxMicroUsd: max } = this.deps;
    if (!Number.isSafeInteger(amountMicroUsd) || amountMicroUsd < min || amountMicroUsd > max) {
      throw badInput(`amountUsd must be from ${min / 1_000_000} to ${max / 1_000_000}`);
    }
    if (amountMicroUsd % microUsdPerCent !== 0) throw badInput('amountUsd must be whole cents');
    const amountCents = amountMicroUsd / microUsdPerCent;
    // A payment is credited only to a tenant that exists: take none for one that does not.
    if (!(await this.deps.tenants.exists(tenantId))) throw notFound('No such tenant');
    const account = await this.deps.repository.account(tenantId);
    const back = (outcome: string) =>
      `${this.deps.returnUrl}${this.deps.returnUrl.includes('?') ? '&' : '?'}checkout=${outcome}`;
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.client.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: 'usd', unit_amount: amountCents, product_data: { name: 'AI-Org budget top-up' } },
            },
          ],
          client_reference_id: tenantId,
          metadata: { tenantId, amountCents: String(amountCents) },
          // Saved for automatic reloads; the tenant comes from our own record, never from metadata.
          payment_intent_data: { metadata: { tenantId }, setup_future_usage: 'off_session' },
          ...(account.customerId ? { customer: account.customerId } : { customer_creation: 'always' }),
          success_url: back('success'),
          cancel_url: back('cancelled'),
        },
        { idempotencyKey: `top-up:${tenantId}:${randomUUID()}` },
      );
    } catch (error) {
      throw serviceUnavailable('Stripe', error);
    }
    if (!session.url) throw serviceUnavailable('Stripe');
    await this.deps.repository.createTopUp(tenantId, session.id, amountCents);
    return { sessionId: session.id, url: session.url, amountCents };
  }

  /** Verifies a webhook delivery on its raw body, then credits or debits once. */
  async handleWebhook(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    const stripe = this.deps.stripe;
    if (!stripe) throw notConfigured();
    let event: Stripe.Event;
    try {
      event = stripe.client.webhooks.constructEvent(rawBody, signature ?? '', stripe.webhookSecret);
    } catch {
      this.deps.logger.warn({ bytes: rawBody.length }, 'Stripe webhook refused: the signature does not verify');
      throw badInput('The Stripe signature does not verify');
    }
    const outcome = await this.apply(event).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'BAD_USER_INPUT') {
        this.deps.logger.warn({ event: event.id, type: event.type, reason: error.message }, 'Stripe event refused');
      }
      throw error;
    });
    this.deps.logger.info({ ...outcome }, `Stripe event ${outcome.status}`);
    return outcome;
  }

  private apply(event: Stripe.Event): Promise<WebhookOutcome> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.onCheckoutPaid(event.id, event.data.object);
      case 'charge.refunded':
        return this.onRefund(event.id, event.data.object);
      case 'charge.dispute.created':
        return this.onDispute(event.id, event.data.object);
      case 'payment_intent.succeeded':
        return this.onReloadPaid(event.id, event.data.object);
      default:
        return Promise.resolve({ status: 'ignored', eventId: event.id, detail: `${event.type} is not used` });
    }
  }

  private async onCheckoutPaid(eventId: string, session: Stripe.Checkout.Session): Promise<WebhookOutcome> {
    if (session.payment_status !== 'paid') {
      return { status: 'ignored', eventId, detail: `session ${session.id} is not paid yet` };
    }
    const topUp = await this.deps.repository.topUp(session.id);
    if (!topUp) throw badInput(`Unknown checkout session ${session.id}`);
    if (!(await this.deps.tenants.exists(topUp.tenantId))) throw badInput(`Unknown tenant of session ${session.id}`);
    if (
      session.amount_total !== topUp.amountCents ||
      (session.currency ?? 'usd') !== 'usd' ||
      (session.client_reference_id !== null && session.client_reference_id !== topUp.tenantId)
    ) {
      throw badInput(`Session ${session.id} does not match the top-up it was created for`);
    }
    const paymentIntentId = idOf(session.payment_intent);
    const paymentMethodId = paymentIntentId ? await this.paymentMethodOf(paymentIntentId) : null;
    const credit = await this.deps.budget.credit(
      topUp.tenantId,
      `stripe:${session.id}`,
      topUp.amountCents * microUsdPerCent,
      eventId,
    );
    // After the credit: a crash in between is finished by Stripe's next delivery (a replay of the credit).
    await this.deps.repository.markPaid(session.id, {
      paymentIntentId,
      customerId: idOf(session.customer),
      paymentMethodId,
    });
    return {
      status: credit.status,
      eventId,
      tenantId: topUp.tenantId,
      detail: `top-up ${session.id} of ${topUp.amountCents} cents`,
    };
  }

  private async paymentMethodOf(paymentIntentId: string): Promise<string | null> {
    try {
      const intent = await this.deps.stripe?.client.paymentIntents.retrieve(paymentIntentId);
      return idOf(intent?.payment_method);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, paymentIntentId },
        'could not read the payment method; auto-reload needs a new top-up',
      );
      return null;
    }
  }

  private async topUpPaidWith(paymentIntentId: string | null, what: string): Promise<TopUpRecord> {
    const topUp = paymentIntentId ? await this.deps.repository.topUpByPaymentIntent(paymentIntentId) : null;
    if (!topUp) throw badInput(`${what} is for a payment this platform does not know`);
    return topUp;
  }

  /**
   * `charge.refunded` carries the charge's refunded total so far. The debit is that total less what
   * was debited before for the charge, under an id naming the total, so a redelivery debits nothing.
   */
  private async onRefund(eventId: string, charge: Stripe.Charge): Promise<WebhookOutcome> {
    const topUp = await this.topUpPaidWith(idOf(charge.payment_intent), `Refund ${charge.id}`);
    const total = Math.min(charge.amount_refunded, topUp.amountCents);
    const before = await this.deps.repository.refundedCents(topUp.sessionId);
    if (total <= before)
      return { status: 'replayed', eventId, tenantId: topUp.tenantId, detail: 'refund debited before' };
    const debit = await this.deps.budget.credit(
      topUp.tenantId,
      `stripe:refund:${charge.id}:${total}`,
      -(total - before) * microUsdPerCent,
      eventId,
    );
    await this.deps.repository.markRefunded(topUp.sessionId, total);
    return { status: debit.status, eventId, tenantId: topUp.tenantId, detail: `refund of ${total - before} cents` };
  }

  private async onDispute(eventId: string, dispute: Stripe.Dispute): Promise<WebhookOutcome> {
    const topUp = await this.topUpPaidWith(idOf(dispute.payment_intent), `Dispute ${dispute.id}`);
    const cents = Math.min(dispute.amount, topUp.amountCents);
    const debit = await this.deps.budget.credit(
      topUp.tenantId,
      `stripe:dispute:${dispute.id}`,
      -cents * microUsdPerCent,
      eventId,
    );
    return { status: debit.status, eventId, tenantId: topUp.tenantId, detail: `dispute of ${cents} cents` };
  }

  /** An automatic reload's payment reported by webhook: the same credit id as the reload itself uses. */
  private async onReloadPaid(eventId: string, intent: Stripe.PaymentIntent): Promise<WebhookOutcome> {
    if (intent.metadata?.kind !== 'auto_reload') {
      return { status: 'ignored', eventId, detail: 'a payment intent that is no automatic reload' };
    }
    const topUp = await this.deps.repository.topUp(intent.id);
    if (!topUp) throw badInput(`Unknown automatic reload ${intent.id}`);
    if (intent.amount !== topUp.amountCents) throw badInput(`Reload ${intent.id} does not match its record`);
    const credit = await this.creditReload(topUp.tenantId, intent.id, topUp.amountCents, eventId);
    return { status: credit.status, eventId, tenantId: topUp.tenantId, detail: `automatic reload ${intent.id}` };
  }

  private async creditReload(tenantId: string, paymentIntentId: string, amountCents: number, source: string) {
    const credit = await this.deps.budget.credit(
      tenantId,
      `stripe:${paymentIntentId}`,
      amountCents * microUsdPerCent,
      source,
    );
    await this.deps.repository.markPaid(paymentIntentId, { paymentIntentId, customerId: null, paymentMethodId: null });
    return credit;
  }

  /** Sets "when less than threshold is left, add amount" (owner); needs a card saved by a top-up. */
  async setAutoReload(
    tenantId: string,
    settings: { readonly enabled: boolean; readonly thresholdMicroUsd: number; readonly amountMicroUsd: number },
  ): Promise<BillingAccount> {
    const { topUpMinMicroUsd: min, topUpMaxMicroUsd: max } = this.deps;
    if (
      !Number.isSafeInteger(settings.thresholdMicroUsd) ||
      settings.thresholdMicroUsd < 0 ||
      settings.thresholdMicroUsd > max
    ) {
      throw badInput(`thresholdUsd must be from 0 to ${max / 1_000_000}`);
    }
    // Turning it off keeps whatever amount was set; only an amount that will be charged must be a valid top-up.
    if (
      !Number.isSafeInteger(settings.amountMicroUsd) ||
      settings.amountMicroUsd < (settings.enabled ? min : 0) ||
      settings.amountMicroUsd > max ||
      settings.amountMicroUsd % microUsdPerCent !== 0
    ) {
      throw badInput(
        `amountUsd must be whole cents from ${min / 1_000_000} to ${max / 1_000_000} (0 allowed when off)`,
      );
    }
    if (settings.enabled) {
      if (!this.configured) throw notConfigured();
      const account = await this.deps.repository.account(tenantId);
      if (!account.customerId || !account.paymentMethodId) {
        throw new AppError('CONFLICT', 'Auto-reload needs a saved card: make one top-up through Checkout first');
      }
    }
    await this.deps.repository.setAutoReload(tenantId, settings);
    return this.deps.repository.account(tenantId);
  }

  /**
   * Sets the most the tenant may spend in a calendar month (UTC; null: no cap): kept in Neo4j first,
   * then applied to the budget gate. No reservation passes it; work waits for budget, visibly.
   */
  async setMonthlySpendCap(tenantId: string, capMicroUsd: number | null): Promise<BillingAccount> {
    if (
      capMicroUsd !== null &&
      (!Number.isSafeInteger(capMicroUsd) || capMicroUsd < 0 || capMicroUsd > 1_000_000_000_000)
    ) {
      throw badInput('capUsd must be from 0 to 1000000, or null for no cap');
    }
    await this.deps.repository.setMonthlySpendCap(tenantId, capMicroUsd);
    await this.deps.budget.applyMonthlyCap(tenantId, capMicroUsd);
    return this.deps.repository.account(tenantId);
  }

  /**
   * Charges the saved card when less than the threshold is left. At most one reload per tenant in
   * flight (and per cooldown); a declined card turns auto-reload off, notifies the tenant's webhooks
   * and is not retried.
   */
  async reloadIfLow(tenantId: string, leftMicroUsd: number): Promise<ReloadOutcome> {
    const stripe = this.deps.stripe;
    if (!stripe) return { status: 'not_configured' };
    const account = await this.deps.repository.account(tenantId);
    const { enabled, thresholdMicroUsd, amountMicroUsd } = account.autoReload;
    if (!enabled || !account.customerId || !account.paymentMethodId) return { status: 'not_configured' };
    if (leftMicroUsd >= thresholdMicroUsd) return { status: 'not_needed' };
    const attemptId = `reload-${randomUUID()}`;
    const lock = await this.deps.redis.set(
      `billing:{${tenantId}}:reload`,
      attemptId,
      'PX',
      this.deps.reloadCooldownMs ?? 60_000,
      'NX',
    );
    if (lock !== 'OK') return { status: 'in_flight' };
    const amountCents = amountMicroUsd / microUsdPerCent;
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.client.paymentIntents.create(
        {
          amount: amountCents,
          currency: 'usd',
          customer: account.customerId,
          payment_method: account.paymentMethodId,
          off_session: true,
          confirm: true,
          metadata: { tenantId, kind: 'auto_reload' },
        },
        { idempotencyKey: `auto-reload:${tenantId}:${attemptId}` },
      );
    } catch (error) {
      const reason =
        error instanceof Error && 'type' in error && error.type === 'StripeCardError'
          ? error.message.slice(0, 300)
          : 'Stripe did not take the payment.';
      return this.reloadFailed(tenantId, attemptId, amountMicroUsd, reason, error);
    }
    // Recorded before the credit, so the webhook's report of the same payment finds it.
    await this.deps.repository.createTopUp(tenantId, intent.id, amountCents);
    if (intent.status !== 'succeeded') {
      return this.reloadFailed(tenantId, attemptId, amountMicroUsd, `The payment is ${intent.status}.`);
    }
    await this.creditReload(tenantId, intent.id, amountCents, `auto-reload ${attemptId}`);
    return { status: 'credited', paymentIntentId: intent.id };
  }

  private async reloadFailed(
    tenantId: string,
    attemptId: string,
    amountMicroUsd: number,
    reason: string,
    error?: unknown,
  ): Promise<ReloadOutcome> {
    this.deps.logger.warn(
      { err: error, tenant: tenantId, attemptId, reason },
      'automatic reload failed; auto-reload is off',
    );
    await this.deps.repository.disableAutoReload(tenantId, reason);
    await this.deps.notifications
      .publish(tenantId, { kind: 'payment_failed', attemptId, amountMicroUsd, reason })
      .catch((notifyError: unknown) =>
        this.deps.logger.warn({ err: notifyError, tenant: tenantId }, 'could not notify about the failed reload'),
      );
    return { status: 'failed', reason };
  }
}
