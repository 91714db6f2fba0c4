import neo4j, { type Driver } from 'neo4j-driver';

/** A Stripe Checkout Session this platform created for a tenant's top-up. */
export interface TopUpRecord {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly amountCents: number;
  readonly status: 'open' | 'paid';
  readonly createdAt: string;
  readonly paidAt: string | null;
  readonly paymentIntentId: string | null;
}

export interface AutoReloadSettings {
  readonly enabled: boolean;
  readonly thresholdMicroUsd: number;
  readonly amountMicroUsd: number;
}

/** A tenant's payment details: the Stripe customer and the card saved for auto-reload, and its settings. */
export interface BillingAccount {
  readonly tenantId: string;
  readonly customerId: string | null;
  readonly paymentMethodId: string | null;
  readonly autoReload: AutoReloadSettings;
  /** Why the last automatic reload failed; cleared when the owner sets auto-reload again. */
  readonly lastReloadFailure: string | null;
  /** The most the tenant may spend in a calendar month (UTC); null = no cap. */
  readonly monthlySpendCapMicroUsd: number | null;
}

const toTopUp = (r: { get(key: string): unknown }): TopUpRecord => ({
  sessionId: r.get('sessionId') as string,
  tenantId: r.get('tenantId') as string,
  amountCents: Number(r.get('amountCents')),
  status: r.get('status') as TopUpRecord['status'],
  createdAt: String(r.get('createdAt')),
  paidAt: r.get('paidAt') === null ? null : String(r.get('paidAt')),
  paymentIntentId: (r.get('paymentIntentId') as string | null) ?? null,
});

const topUpFields = `t.sessionId AS sessionId, t.tenantId AS tenantId, t.amountCents AS amountCents,
  t.status AS status, toString(t.createdAt) AS createdAt, toString(t.paidAt) AS paidAt,
  t.paymentIntentId AS paymentIntentId`;

/** Top-ups (one node per Checkout Session) and billing accounts, outside the generated API. */
export class BillingRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  async createTopUp(tenantId: string, sessionId: string, amountCents: number): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (t:TopUp {sessionId: $sessionId})
         ON CREATE SET t.tenantId = $tenantId, t.amountCents = $amountCents, t.status = 'open', t.createdAt = datetime()`,
      { tenantId, sessionId, amountCents: neo4j.int(amountCents) },
      { database: this.database },
    );
  }

  async topUp(sessionId: string): Promise<TopUpRecord | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:TopUp {sessionId: $sessionId}) RETURN ${topUpFields}`,
      { sessionId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records[0] ? toTopUp(records[0]) : null;
  }

  async topUpByPaymentIntent(paymentIntentId: string): Promise<TopUpRecord | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:TopUp {paymentIntentId: $paymentIntentId}) RETURN ${topUpFields} LIMIT 1`,
      { paymentIntentId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records[0] ? toTopUp(records[0]) : null;
  }

  /** The tenant's latest top-ups, newest first. */
  async recentTopUps(tenantId: string, limit: number): Promise<TopUpRecord[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:TopUp {tenantId: $tenantId}) RETURN ${topUpFields} ORDER BY t.createdAt DESC LIMIT $limit`,
      { tenantId, limit: neo4j.int(limit) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map(toTopUp);
  }

  /** Marks a top-up paid (idempotent) and keeps the customer and card for auto-reload. */
  async markPaid(
    sessionId: string,
    paid: {
      readonly paymentIntentId: string | null;
      readonly customerId: string | null;
      readonly paymentMethodId: string | null;
    },
  ): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:TopUp {sessionId: $sessionId})
       SET t.status = 'paid', t.paidAt = coalesce(t.paidAt, datetime()),
           t.paymentIntentId = coalesce(t.paymentIntentId, $paymentIntentId)
       WITH t WHERE $customerId IS NOT NULL
       MERGE (a:BillingAccount {tenantId: t.tenantId})
       SET a.customerId = $customerId,
           a.paymentMethodId = coalesce($paymentMethodId, a.paymentMethodId)`,
      { sessionId, ...paid },
      { database: this.database },
    );
  }

  /** Cents of the top-up refunded and debited so far. */
  async refundedCents(sessionId: string): Promise<number> {
    const { records } = await this.driver.executeQuery(
      'MATCH (t:TopUp {sessionId: $sessionId}) RETURN coalesce(t.refundedCents, 0) AS cents',
      { sessionId },
      { database: this.database },
    );
    return Number(records[0]?.get('cents') ?? 0);
  }

  /** Records the refunded total (only ever upwards). */
  async markRefunded(sessionId: string, totalCents: number): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:TopUp {sessionId: $sessionId})
       SET t.refundedCents = CASE WHEN coalesce(t.refundedCents, 0) < $total THEN $total ELSE t.refundedCents END`,
      { sessionId, total: neo4j.int(totalCents) },
      { database: this.database },
    );
  }

  async account(tenantId: string): Promise<BillingAccount> {
    const { records } = await this.driver.executeQuery(
      `OPTIONAL MATCH (a:BillingAccount {tenantId: $tenantId})
       RETURN a.customerId AS customerId, a.paymentMethodId AS paymentMethodId,
              coalesce(a.autoReloadEnabled, false) AS enabled,
              coalesce(a.thresholdMicroUsd, 0) AS threshold, coalesce(a.amountMicroUsd, 0) AS amount,
              a.lastReloadFailure AS lastReloadFailure, a.monthlySpendCapMicroUsd AS monthlyCap`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const r = records[0];
    return {
      tenantId,
      customerId: (r?.get('customerId') as string | null) ?? null,
      paymentMethodId: (r?.get('paymentMethodId') as string | null) ?? null,
      autoReload: {
        enabled: r?.get('enabled') === true,
        thresholdMicroUsd: Number(r?.get('threshold') ?? 0),
        amountMicroUsd: Number(r?.get('amount') ?? 0),
      },
      lastReloadFailure: (r?.get('lastReloadFailure') as string | null) ?? null,
      monthlySpendCapMicroUsd: r?.get('monthlyCap') == null ? null : Number(r.get('monthlyCap')),
    };
  }

  /** Sets auto-reload; clears the last failure (the owner has seen it and chose again). */
  async setAutoReload(tenantId: string, settings: AutoReloadSettings): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (a:BillingAccount {tenantId: $tenantId})
       SET a.autoReloadEnabled = $enabled, a.thresholdMicroUsd = $threshold, a.amountMicroUsd = $amount,
           a.lastReloadFailure = null`,
      {
        tenantId,
        enabled: settings.enabled,
        threshold: neo4j.int(settings.thresholdMicroUsd),
        amount: neo4j.int(settings.amountMicroUsd),
      },
      { database: this.database },
    );
  }

  /** Sets the monthly spend cap (null: none). */
  async setMonthlySpendCap(tenantId: string, capMicroUsd: number | null): Promise<void> {
    await this.driver.executeQuery(
      'MERGE (a:BillingAccount {tenantId: $tenantId}) SET a.monthlySpendCapMicroUsd = $cap',
      { tenantId, cap: capMicroUsd === null ? null : neo4j.int(capMicroUsd) },
      { database: this.database },
    );
  }

  /** Turns auto-reload off after a failed payment, saying why: it is never retried in a loop. */
  async disableAutoReload(tenantId: string, reason: string): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (a:BillingAccount {tenantId: $tenantId})
       SET a.autoReloadEnabled = false, a.lastReloadFailure = $reason`,
      { tenantId, reason },
      { database: this.database },
    );
  }
}
