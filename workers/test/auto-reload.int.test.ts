import { loadConfig } from '@ai-org/core';
import { BillingRepository } from '@ai-org/schema';
import { type FakeStripeServer, startFakeStripeServer } from '@ai-org/testing';
import { createHarness, type Harness, testEnv } from '@ai-org/testing/workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

describe('automatic reload, started by the orchestrator from budget events', () => {
  let h: Harness;
  let stripe: FakeStripeServer;
  let orchestrator: Orchestrator | undefined;
  beforeEach(async () => {
    stripe = await startFakeStripeServer();
  });
  afterEach(async () => {
    await orchestrator?.stop();
    orchestrator = undefined;
    await h.close();
    await stripe.close();
  });

  it('charges the saved card once when a reservation leaves less than the threshold, and the budget grows', async () => {
    const stripeEnv = {
      STRIPE_SECRET_KEY: 'sk_test_reload',
      STRIPE_WEBHOOK_SECRET: 'whsec_reload',
      STRIPE_API_URL: stripe.url,
    };
    h = await createHarness(stripeEnv);
    await h.budget.topUp(h.tenant, 30_000_000);
    // The card a top-up saved: a paid Checkout session of the tenant's with its customer and card.
    const accounts = new BillingRepository(h.bolt);
    await h.bolt.executeQuery('MERGE (:Tenant {id: $tenant})', { tenant: h.tenant });
    await accounts.createTopUp(h.tenant, 'cs_saved_card', 1_000);
    await accounts.markPaid('cs_saved_card', {
      paymentIntentId: 'pi_first',
      customerId: 'cus_1',
      paymentMethodId: 'pm_1',
    });
    await accounts.setAutoReload(h.tenant, {
      enabled: true,
      thresholdMicroUsd: 20_000_000,
      amountMicroUsd: 50_000_000,
    });

    const config = loadConfig(testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_METRICS_PORT: '0', ...stripeEnv }));
    orchestrator = buildOrchestrator(config, { llm: new OfflineProvider(), onTick: () => {} });
    await orchestrator.start();
    // Three jobs reserve 5 USD each: left falls to 15 USD, below the 20 USD threshold.
    for (const job of ['a', 'b', 'c']) await h.budget.reserve(h.tenant, job, 5_000_000);

    await expect
      .poll(async () => (await h.budget.read(h.tenant)).funded, { timeout: 10_000, message: 'the reload was credited' })
      .toBe(80_000_000);
    const intents = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
    expect(intents).toHaveLength(1);
    expect(intents[0]?.body).toMatchObject({
      amount: '5000',
      customer: 'cus_1',
      payment_method: 'pm_1',
      off_session: 'true',
    });
  });
});
