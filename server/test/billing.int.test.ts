import { budgetKeys, loadConfig } from '@ai-org/core';
import { type FakeStripeServer, startFakeStripeServer } from '@ai-org/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const webhookSecret = 'whsec_test_billing';

/** The API connects to Redis in the background after it starts listening; wait until it answers. */
const redisReady = async (t: TestApp): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while ((await t.gql('{ budget { leftUsd } }', {}, 'test-ready')).errors) {
    if (Date.now() > deadline) throw new Error('the API did not reach Redis within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('Stripe top-ups: checkout, signed events credited once, refunds and disputes, auto-reload', () => {
  let stripe: FakeStripeServer;
  let t: TestApp;
  const redis = new Redis(loadConfig(process.env).redis.url);
  const tenants: string[] = [];
  const newTenant = async () => {
    const tenant = uniqueTenant('bill');
    tenants.push(tenant);
    await t.app.services.tenants.create(tenant, tenant);
    return tenant;
  };

  beforeAll(async () => {
    stripe = await startFakeStripeServer();
    t = await startTestApp({
      STRIPE_SECRET_KEY: 'sk_test_billing',
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: stripe.url,
    });
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, ...tenants);
    await t.stop();
    await stripe.close();
    redis.disconnect();
  });

  const budget = async (tenant: string) => {
    const response = await t.gql<{ budget: { fundedUsd: number; leftUsd: number } }>(
      '{ budget { fundedUsd leftUsd } }',
      {},
      tenant,
    );
    return response.data?.budget;
  };
  const checkout = async (tenant: string, amountUsd: number) => {
    const response = await t.gql<{ createTopUpCheckout: { sessionId: string; url: string; amountUsd: number } }>(
      'mutation($a: Float!) { createTopUpCheckout(amountUsd: $a) { sessionId url amountUsd } }',
      { a: amountUsd },
      tenant,
    );
    expect(response.errors).toBeUndefined();
    return response.data?.createTopUpCheckout as { sessionId: string; url: string; amountUsd: number };
  };
  const deliver = async (payload: { body: string; header: string | undefined }) => {
    const response = await fetch(`${t.url}/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(payload.header ? { 'stripe-signature': payload.header } : {}),
      },
      body: payload.body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const fundEntries = async (tenant: string) => {
    const { records } = await t.bolt.executeQuery(
      "MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'fund'}) RETURN e.jobId AS id, e.amountMicroUsd AS amount ORDER BY id",
      { tenant },
    );
    return records.map((r) => [r.get('id'), Number(r.get('amount'))]);
  };

  it('creates a Checkout Session for the tenant and credits its signed completion exactly once', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 25);
    expect(session.url).toBe(`${stripe.url}/pay/${session.sessionId}`);
    const created = stripe.sessions.get(session.sessionId);
    expect(created).toMatchObject({ amount_total: 2_500, client_reference_id: tenant, mode: 'payment' });
    expect(created?.success_url).toContain('checkout=success');

    const event = stripe.complete(session.sessionId);
    const first = await deliver(stripe.signedPayload(event, webhookSecret));
    expect(first.body).toEqual({ received: true, status: 'credited' });
    expect(first.status).toBe(200);
    expect(await budget(tenant)).toEqual({ fundedUsd: 25, leftUsd: 25 });

    // The same event again, and another event reporting the same payment: nothing more.
    expect((await deliver(stripe.signedPayload(event, webhookSecret))).body.status).toBe('replayed');
    expect((await deliver(stripe.signedPayload(stripe.complete(session.sessionId), webhookSecret))).body.status).toBe(
      'replayed',
    );
    expect(await budget(tenant)).toEqual({ fundedUsd: 25, leftUsd: 25 });
    expect(await fundEntries(tenant)).toEqual([[`stripe:${session.sessionId}`, 25_000_000]]);

    const billing = await t.gql<{ billing: { topUps: { id: string; status: string; amountUsd: number }[] } }>(
      '{ billing { topUpsConfigured topUps { id status amountUsd } autoReload { cardSaved } } }',
      {},
      tenant,
    );
    expect(billing.data?.billing).toEqual({
      topUpsConfigured: true,
      topUps: [{ id: session.sessionId, status: 'paid', amountUsd: 25 }],
      autoReload: { cardSaved: true },
    });
  });

  it('credits nothing again when the event is replayed after Redis lost the budget', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 10);
    const event = stripe.complete(session.sessionId);
    await deliver(stripe.signedPayload(event, webhookSecret));
    await redis.del(...Object.values(budgetKeys(tenant))); // Redis restarted without its data
    expect((await deliver(stripe.signedPayload(event, webhookSecret))).body.status).toBe('replayed');
    expect(await budget(tenant)).toEqual({ fundedUsd: 10, leftUsd: 10 });
  });

  it('refuses a bad or missing signature, a session it did not create and an amount that does not match — changing nothing', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 10);
    const event = stripe.complete(session.sessionId);
    const refused = async (payload: { body: string; header: string | undefined }) => {
      const answer = await deliver(payload);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
      return answer;
    };
    await refused(stripe.signedPayload(event, 'whsec_someone_else'));
    await refused({ body: stripe.signedPayload(event, webhookSecret).body, header: undefined });
    const signed = stripe.signedPayload(event, webhookSecret);
    await refused({
      body: signed.body.replace('"amount_total": 1000', '"amount_total": 100000'),
      header: signed.header,
    });

    // Signed correctly, but the amount differs from the session this platform created.
    const tampered = { ...event, data: { object: { ...event.data.object, amount_total: 100_000 } } };
    await refused(stripe.signedPayload(tampered, webhookSecret));
    // A session made on the Stripe account by someone else (not through createTopUpCheckout).
    const foreign = await fetch(`${stripe.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `mode=payment&client_reference_id=${tenant}&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500000&line_items[0][price_data][product_data][name]=x`,
    }).then((r) => r.json() as Promise<{ id: string }>);
    await refused(stripe.signedPayload(stripe.complete(foreign.id), webhookSecret));

    expect(await fundEntries(tenant)).toEqual([]);
    expect((await deliver(stripe.signedPayload(event, webhookSecret))).body.status).toBe('credited');
  });

  it('debits a refund and a dispute once each, by what was refunded since', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 40);
    await deliver(stripe.signedPayload(stripe.complete(session.sessionId), webhookSecret));
    const partial = stripe.refund(session.sessionId, 1_000);
    expect((await deliver(stripe.signedPayload(partial, webhookSecret))).body.status).toBe('credited');
    expect((await deliver(stripe.signedPayload(partial, webhookSecret))).body.status).toBe('replayed');
    expect(await budget(tenant)).toEqual({ fundedUsd: 30, leftUsd: 30 });
    // The charge's refunded total grows to 15 USD: 5 more.
    await deliver(stripe.signedPayload(stripe.refund(session.sessionId, 1_500), webhookSecret));
    expect(await budget(tenant)).toEqual({ fundedUsd: 25, leftUsd: 25 });
    const dispute = stripe.dispute(session.sessionId, { amount: 2_000 });
    await deliver(stripe.signedPayload(dispute, webhookSecret));
    await deliver(stripe.signedPayload(dispute, webhookSecret));
    expect(await budget(tenant)).toEqual({ fundedUsd: 5, leftUsd: 5 });
  });

  it('bounds a top-up to whole cents within the platform’s limits', async () => {
    const tenant = await newTenant();
    for (const amountUsd of [0, 4.99, 10_000.01, 12.345]) {
      const response = await t.gql(
        'mutation($a: Float!) { createTopUpCheckout(amountUsd: $a) { url } }',
        { a: amountUsd },
        tenant,
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('reloads a low budget once with the saved card, however many callers notice at once', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 10);
    await deliver(stripe.signedPayload(stripe.complete(session.sessionId), webhookSecret));
    const set = await t.gql(
      'mutation { setAutoReload(enabled: true, thresholdUsd: 20, amountUsd: 30) { enabled thresholdUsd amountUsd } }',
      {},
      tenant,
    );
    expect(set.data).toEqual({ setAutoReload: { enabled: true, thresholdUsd: 20, amountUsd: 30 } });
    const intentsBefore = stripe.requests.filter((r) => r.path === '/v1/payment_intents').length;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => t.app.services.billing.reloadIfLow(tenant, 10_000_000)),
    );
    expect(outcomes.filter((o) => o.status === 'credited')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'in_flight')).toHaveLength(4);
    expect(stripe.requests.filter((r) => r.path === '/v1/payment_intents').length - intentsBefore).toBe(1);
    expect(await budget(tenant)).toEqual({ fundedUsd: 40, leftUsd: 40 });

    // Stripe also reports the reload's payment by webhook: the same credit, so nothing more.
    const credited = outcomes.find((o) => o.status === 'credited') as { paymentIntentId: string };
    const intent = stripe.paymentIntents.get(credited.paymentIntentId);
    const reported = {
      id: 'evt_reload_report',
      object: 'event' as const,
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      livemode: false as const,
      api_version: null,
      data: { object: intent as object },
    };
    expect((await deliver(stripe.signedPayload(reported, webhookSecret))).body.status).toBe('replayed');
    expect(await budget(tenant)).toEqual({ fundedUsd: 40, leftUsd: 40 });
  });

  it('turns auto-reload off and says why when the card is declined, without retrying', async () => {
    const tenant = await newTenant();
    const session = await checkout(tenant, 10);
    const completed = stripe.complete(session.sessionId);
    await deliver(stripe.signedPayload(completed, webhookSecret));
    const intent = stripe.paymentIntents.get(stripe.sessions.get(session.sessionId)?.payment_intent ?? '');
    stripe.failPaymentMethods.add(intent?.payment_method ?? '');
    await t.gql('mutation { setAutoReload(enabled: true, thresholdUsd: 20, amountUsd: 30) { enabled } }', {}, tenant);

    expect(await t.app.services.billing.reloadIfLow(tenant, 0)).toMatchObject({ status: 'failed' });
    expect(await t.app.services.billing.reloadIfLow(tenant, 0)).toEqual({ status: 'not_configured' });
    const billing = await t.gql<{ billing: { autoReload: { enabled: boolean; lastFailure: string } } }>(
      '{ billing { autoReload { enabled lastFailure } } }',
      {},
      tenant,
    );
    expect(billing.data?.billing.autoReload.enabled).toBe(false);
    expect(billing.data?.billing.autoReload.lastFailure).toContain('declined');
    expect(await budget(tenant)).toEqual({ fundedUsd: 10, leftUsd: 10 });
  });
});

describe('a monthly spend cap', () => {
  let t: TestApp;
  const tenant = uniqueTenant('cap');
  beforeAll(async () => {
    t = await startTestApp();
    await redisReady(t);
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('keeps a task waiting for budget, saying why, once the month would pass the cap', async () => {
    await t.app.services.budget.topUp(tenant, 100_000_000);
    const created = await t.gql<{ createTask: { id: string } }>(
      'mutation { createTask(input: { description: "costly", owner: "dev", tokensPlan: 40 }) { id } }',
      {},
      tenant,
    );
    const id = created.data?.createTask.id as string;
    const capped = await t.gql(
      'mutation { setMonthlySpendCap(capUsd: 0.01) { monthlySpendCapUsd monthToDateUsd } }',
      {},
      tenant,
    );
    expect(capped.data).toEqual({ setMonthlySpendCap: { monthlySpendCapUsd: 0.01, monthToDateUsd: 0 } });
    const refused = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id }, tenant);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BUDGET_EXCEEDED');
    expect(refused.errors?.[0]?.message).toContain('monthly spend cap of 0.01 USD');
    const task = await t.gql<{ tasks: { status: string; statusReason: string }[] }>(
      'query($id: ID!) { tasks(where: { id_EQ: $id }) { status statusReason } }',
      { id },
      tenant,
    );
    expect(task.data?.tasks[0]).toMatchObject({ status: 'waiting_budget' });
    expect(task.data?.tasks[0]?.statusReason).toContain('monthly spend cap');

    // A crash after the cap was kept in Neo4j but before the gate had it: reading billing repairs the gate.
    await t.app.services.budget.applyMonthlyCap(tenant, null);
    await t.gql('{ billing { monthlySpendCapUsd } }', {}, tenant);
    const stillCapped = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id }, tenant);
    expect(stillCapped.errors?.[0]?.extensions?.code).toBe('BUDGET_EXCEEDED');

    await t.gql('mutation { setMonthlySpendCap(capUsd: null) { monthlySpendCapUsd } }', {}, tenant);
    const dispatched = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id }, tenant);
    expect(dispatched.errors).toBeUndefined();
  });
});

describe('without a Stripe account configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' });
    await redisReady(t);
  });
  afterAll(() => t.stop());

  it('says top-ups are not configured, and pretends nothing', async () => {
    const tenant = uniqueTenant('nobill');
    const billing = await t.gql('{ billing { topUpsConfigured topUps { id } } }', {}, tenant);
    expect(billing.errors).toBeUndefined();
    expect(billing.data).toEqual({ billing: { topUpsConfigured: false, topUps: [] } });
    const checkout = await t.gql('mutation { createTopUpCheckout(amountUsd: 10) { url } }', {}, tenant);
    expect(checkout.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(checkout.errors?.[0]?.message).toContain('not configured');
    const webhook = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', body: '{}' });
    expect(webhook.status).toBe(409);
  });
});
