import {
  type FakeStripeServer,
  launchBrowser,
  type RunningSystem,
  screenshot,
  startFakeStripeServer,
  startSystem,
} from '@ai-org/testing/system';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const webhookSecret = 'whsec_test_web_billing';
const budgetQuery = '{ budget { fundedUsd leftUsd } }';
const topUpsQuery = '{ billing { topUps { id status amountUsd } } }';

type Budget = { fundedUsd: number; leftUsd: number };
type TopUp = { id: string; status: string; amountUsd: number };

const signIn = async (page: Page, key: string) => {
  await page.getByTestId('api-key-input').fill(key);
  await page.getByTestId('sign-in-submit').click();
};

const usd = (value: number) => `$${value.toFixed(2)}`;

/** The browser is on the fake Stripe's payment page, or back on this system's Billing page. */
const onStripe = (stripe: FakeStripeServer) => (url: URL) =>
  url.origin === stripe.url && url.pathname.startsWith('/pay/');
const onBilling = (system: RunningSystem) => (url: URL) =>
  url.origin === system.webUrl && url.hash.startsWith('#/billing');

describe('paying for a top-up through Stripe Checkout in a real Chromium (a local fake Stripe)', () => {
  let stripe: FakeStripeServer;
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let ownerKey: string;
  /** The API's own view, with the owner key (token mode: the test's admin header names no tenant's owner). */
  const asOwner = async <T>(query: string): Promise<T> => {
    const response = await fetch(`${system.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerKey}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const budget = () => asOwner<{ budget: Budget }>(budgetQuery).then((data) => data.budget);
  const topUps = () => asOwner<{ billing: { topUps: TopUp[] } }>(topUpsQuery).then((data) => data.billing.topUps);

  beforeAll(async () => {
    stripe = await startFakeStripeServer();
    system = await startSystem({
      env: {
        AUTH_MODE: 'token',
        STRIPE_SECRET_KEY: 'sk_test_web_billing',
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_API_URL: stripe.url,
      },
    });
    // As Stripe does once the payer has paid: the signed event to the API's webhook route.
    stripe.deliverEventsTo(`${system.apiUrl}/webhooks/stripe`, webhookSecret);
    ({ secret: ownerKey } = await system.services.tenants.createWithOwnerKey(system.tenant));
    // The API reaches Redis in the background after it listens (slowly on a busy machine); sign in after.
    const deadline = Date.now() + 30_000;
    while (
      !(await budget().then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('the API did not answer the owner key within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(system.webUrl);
    await signIn(page, ownerKey);
    await page.locator(`[data-testid="who-am-i"][data-role="owner"]`).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await stripe?.close();
  });

  it('tops up 25 USD: Billing page, Stripe’s page, Pay, back to Billing with the budget credited and the top-up paid', async () => {
    const before = await budget();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByTestId('billing-page').waitFor();
    await page
      .getByTestId('billing-funded')
      .filter({ hasText: usd(before.fundedUsd) })
      .waitFor();
    await page.getByTestId('billing-amount').fill('25');
    await page.getByTestId('billing-top-up').click();

    await page.waitForURL(onStripe(stripe));
    await expect(page.getByTestId('fake-stripe-amount').textContent()).resolves.toBe('25.00 USD');
    await page.getByTestId('fake-stripe-pay').click();

    await page.waitForURL(onBilling(system));
    await expect(page.getByTestId('billing-checkout-notice').textContent()).resolves.toContain(
      'Payment received — it is credited when Stripe confirms it',
    );
    await page
      .getByTestId('billing-funded')
      .filter({ hasText: usd(before.fundedUsd + 25) })
      .waitFor();
    const [session] = stripe.sessions.keys();
    const row = page.getByTestId(`billing-top-up-${session}`);
    await expect(row.getAttribute('data-status')).resolves.toBe('paid');
    await expect(row.textContent()).resolves.toContain('$25.00');
    expect(await budget()).toEqual({ fundedUsd: before.fundedUsd + 25, leftUsd: before.leftUsd + 25 });
    // The parameter is gone from the address: a reload does not announce the payment again.
    expect(new URL(page.url()).hash).toBe('#/billing');
    await screenshot(page, 'billing-paid');
  });

  it('changes nothing when Stripe delivers the same event again', async () => {
    const before = await budget();
    const [delivery] = stripe.deliveries;
    if (!delivery) throw new Error('the payment page delivered no event');
    expect(delivery.status).toBe(200);
    const { body, header } = stripe.signedPayload(delivery.event, webhookSecret);
    const replay = await fetch(`${system.apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body,
    });
    expect(replay.status).toBe(200);
    await expect(replay.json()).resolves.toMatchObject({ status: 'replayed' });
    expect(await budget()).toEqual(before);
    expect(await topUps()).toEqual([expect.objectContaining({ status: 'paid', amountUsd: 25 })]);

    await page.reload();
    await page
      .getByTestId('billing-funded')
      .filter({ hasText: usd(before.fundedUsd) })
      .waitFor();
    await expect(page.getByTestId('billing-top-ups').locator('tbody tr').count()).resolves.toBe(1);
    await expect(page.getByTestId('billing-checkout-notice').count()).resolves.toBe(0);
  });

  it('turns auto-reload on with the card the top-up saved, showing the API’s refusal of a bad amount', async () => {
    await page.getByTestId('billing-auto-reload-enabled').check();
    await page.getByTestId('billing-auto-reload-threshold').fill('20');
    await page.getByTestId('billing-auto-reload-amount').fill('1');
    await page.getByTestId('billing-auto-reload-save').click();
    await page.getByTestId('billing-auto-reload-result').filter({ hasText: 'amountUsd must be whole cents' }).waitFor();

    await page.getByTestId('billing-auto-reload-amount').fill('30');
    await page.getByTestId('billing-auto-reload-save').click();
    await page.getByTestId('billing-auto-reload-result').filter({ hasText: 'Saved.' }).waitFor();
    await page
      .getByTestId('billing-auto-reload-state')
      .filter({ hasText: 'On: $30.00 is charged to the saved card when less than $20.00 is left.' })
      .waitFor();
  });

  it('says nothing was charged when the payer cancels on Stripe’s page', async () => {
    const before = await budget();
    await page.getByTestId('billing-amount').fill('10');
    await page.getByTestId('billing-top-up').click();
    await page.waitForURL(onStripe(stripe));
    await page.getByTestId('fake-stripe-cancel').click();

    await page.waitForURL(onBilling(system));
    await expect(page.getByTestId('billing-checkout-notice').textContent()).resolves.toContain(
      'Payment cancelled, nothing was charged',
    );
    await page.locator('[data-testid^="billing-top-up-cs_"][data-status="open"]').waitFor();
    expect(await budget()).toEqual(before);
    expect(stripe.deliveries).toHaveLength(1);
  });

  it('shows a viewer the balances and the top-ups, but no form that pays or changes the auto-reload', async () => {
    const { secret: viewerKey } = await system.services.apiKeys.create(system.tenant, {
      name: 'billing viewer',
      role: 'viewer',
    });
    await page.getByTestId('sign-out').click();
    await signIn(page, viewerKey);
    await page.locator(`[data-testid="who-am-i"][data-role="viewer"]`).waitFor();
    await page.goto(`${system.webUrl}/#/billing`);
    await page.getByTestId('billing-top-ups').waitFor();
    await page
      .getByTestId('billing-funded')
      .filter({ hasText: usd((await budget()).fundedUsd) })
      .waitFor();
    await page.getByTestId('billing-auto-reload-state').waitFor();
    await expect(page.getByTestId('billing-top-up').count()).resolves.toBe(0);
    await expect(page.getByTestId('billing-auto-reload-form').count()).resolves.toBe(0);
    await screenshot(page, 'billing-viewer');
  });
});

describe('the Billing page without a Stripe account configured', () => {
  let system: RunningSystem;
  let browser: Browser;

  beforeAll(async () => {
    system = await startSystem({ env: { STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('says top-ups are not configured and offers no pay button, even to an owner', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(system.webUrl);
    await page.getByTestId('tenant-input').fill(system.tenant);
    await page.getByTestId('tenant-apply').click();
    await page.locator(`[data-testid="who-am-i"][data-role="owner"]`).waitFor();
    await page.goto(`${system.webUrl}/#/billing`);
    await expect(page.getByTestId('billing-not-configured').textContent()).resolves.toContain(
      'Top-ups are not configured on this platform',
    );
    await page.getByTestId('billing-balance').getByTestId('billing-funded').waitFor();
    await expect(page.getByTestId('billing-top-up').count()).resolves.toBe(0);
    await expect(page.getByTestId('billing-auto-reload').count()).resolves.toBe(0);
    await screenshot(page, 'billing-not-configured');
  });
});
