import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripeServer, parseStripeForm, startFakeStripeServer } from './fake-stripe-server';

const secret = 'whsec_test_fake';
let fake: FakeStripeServer;
let stripe: Stripe;

const topUp = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Budget top-up' } }, quantity: 3 },
    { price_data: { currency: 'usd', unit_amount: 250, product_data: { name: 'Fee' } }, quantity: 1 },
  ],
  metadata: { tenantId: 'acme', credits: '1750' },
  client_reference_id: 'acme',
  success_url: 'https://app.example/billing?ok=1',
  cancel_url: 'https://app.example/billing?cancel=1',
  ...extra,
});

beforeEach(async () => {
  fake = await startFakeStripeServer();
  stripe = new Stripe('sk_test_fake', {
    host: fake.host,
    port: fake.port,
    protocol: fake.protocol,
    maxNetworkRetries: 0,
  });
});
afterEach(() => fake.close());

/** A webhook endpoint that keeps each delivery's raw body and signature (they are verified on the raw bytes). */
const startEndpoint = async () => {
  const received: { body: string; signature: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['stripe-signature']),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('fake Stripe server', () => {
  it('parses bracket-encoded form bodies into nested objects and arrays', () => {
    const body = parseStripeForm(
      'line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=500&metadata%5BtenantId%5D=acme&x=1',
    );
    expect(body).toEqual({
      line_items: [{ price_data: { unit_amount: '500' } }],
      metadata: { tenantId: 'acme' },
      x: '1',
    });
  });

  it('creates a checkout session summing the line items and round-tripping metadata', async () => {
    const session = await stripe.checkout.sessions.create(topUp({ customer: 'cus_1' }));
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      url: `${fake.url}/pay/${session.id}`,
      amount_total: 1750,
      currency: 'usd',
      mode: 'payment',
      metadata: { tenantId: 'acme', credits: '1750' },
      client_reference_id: 'acme',
      customer: 'cus_1',
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
    });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
  });

  it('retrieves a stored session', async () => {
    const created = await stripe.checkout.sessions.create(topUp());
    const retrieved = await stripe.checkout.sessions.retrieve(created.id);
    expect(retrieved).toEqual(created);
  });

  it('returns the same session for a repeated idempotency key', async () => {
    const first = await stripe.checkout.sessions.create(topUp(), { idempotencyKey: 'top-up-1' });
    const again = await stripe.checkout.sessions.create(topUp(), { idempotencyKey: 'top-up-1' });
    const other = await stripe.checkout.sessions.create(topUp(), { idempotencyKey: 'top-up-2' });
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(fake.sessions.size).toBe(2);
  });

  it('answers an unknown session with resource_missing', async () => {
    const error = await stripe.checkout.sessions.retrieve('cs_test_nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ code: 'resource_missing', statusCode: 404 });
  });

  it('surfaces an injected 500 as a Stripe API error, then serves normally', async () => {
    fake.enqueue({ kind: 'status', status: 500 });
    const error = await stripe.checkout.sessions.create(topUp()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500 });
    await expect(stripe.checkout.sessions.create(topUp())).resolves.toMatchObject({ status: 'open' });
  });

  it('surfaces an injected 429 as a rate limit error carrying Retry-After', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '2' });
    const error = await stripe.checkout.sessions.create(topUp()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((error as Stripe.errors.StripeError).headers?.['retry-after']).toBe('2');
  });

  it('confirms an off-session payment intent, which can be retrieved', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: 'cus_1',
      payment_method: 'pm_card_visa',
      off_session: true,
      confirm: true,
      metadata: { tenantId: 'acme' },
    });
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, metadata: { tenantId: 'acme' } });
    await expect(stripe.paymentIntents.retrieve(intent.id)).resolves.toEqual(intent);
  });

  it('declines a payment method configured to fail with a card error', async () => {
    fake.failPaymentMethods.add('pm_card_declined');
    const error = await stripe.paymentIntents
      .create({
        amount: 2000,
        currency: 'usd',
        customer: 'cus_1',
        payment_method: 'pm_card_declined',
        off_session: true,
        confirm: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: 'card_declined', statusCode: 402 });
    const intent = (error as Stripe.errors.StripeCardError).payment_intent;
    expect(intent?.status).toBe('requires_payment_method');
    expect(fake.paymentIntents.get(intent?.id ?? '')?.status).toBe('requires_payment_method');
  });

  it('completes a session into a signed checkout.session.completed event that verifies', async () => {
    const session = await stripe.checkout.sessions.create(topUp());
    const event = fake.complete(session.id);
    const { body, header } = fake.signedPayload(event, secret);
    const verified = stripe.webhooks.constructEvent(body, header, secret);
    expect(verified).toMatchObject({
      type: 'checkout.session.completed',
      data: { object: { id: session.id, status: 'complete', payment_status: 'paid', metadata: { tenantId: 'acme' } } },
    });
    const stored = await stripe.checkout.sessions.retrieve(session.id);
    expect(stored.payment_intent).toMatch(/^pi_test_/);
    expect(() => stripe.webhooks.constructEvent(body.replace('1750', '9999'), header, secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('makes refund and dispute events carrying the amount and the session metadata', async () => {
    const session = await stripe.checkout.sessions.create(topUp());
    fake.complete(session.id);
    const refund = fake.refund(session.id, 500);
    expect(refund).toMatchObject({
      type: 'charge.refunded',
      data: {
        object: {
          object: 'charge',
          amount: 1750,
          amount_refunded: 500,
          refunded: false,
          metadata: { tenantId: 'acme' },
        },
      },
    });
    const dispute = fake.dispute(session.id);
    expect(dispute).toMatchObject({
      type: 'charge.dispute.created',
      data: { object: { object: 'dispute', amount: 1750, metadata: { tenantId: 'acme' } } },
    });
  });

  it('serves a payment page that pays, delivers the signed event, then sends the payer back', async () => {
    const endpoint = await startEndpoint();
    try {
      fake.deliverEventsTo(endpoint.url, secret);
      const session = await stripe.checkout.sessions.create(topUp());
      const page = await fetch(session.url ?? '');
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('17.50 USD');
      expect(html).toContain('data-testid="fake-stripe-pay"');
      expect(html).toContain('href="https://app.example/billing?cancel=1"');

      const paid = await fetch(session.url ?? '', { method: 'POST', redirect: 'manual' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe('https://app.example/billing?ok=1');
      // Delivered before the redirect, signed so that it verifies, and recorded with the answer.
      expect(endpoint.received).toHaveLength(1);
      const [delivery] = endpoint.received;
      const verified = stripe.webhooks.constructEvent(delivery?.body ?? '', delivery?.signature ?? '', secret);
      expect(verified).toMatchObject({
        type: 'checkout.session.completed',
        data: { object: { id: session.id, payment_status: 'paid' } },
      });
      expect(fake.deliveries).toMatchObject([{ event: { id: verified.id }, status: 200 }]);
      expect(fake.sessions.get(session.id)?.status).toBe('complete');

      // Paying again pays nothing more and delivers nothing more.
      const again = await fetch(session.url ?? '', { method: 'POST', redirect: 'manual' });
      expect(again.status).toBe(303);
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('pays without delivering when no endpoint is set, and answers an unknown session with 404', async () => {
    const session = await stripe.checkout.sessions.create(topUp());
    const paid = await fetch(session.url ?? '', { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(fake.sessions.get(session.id)?.payment_status).toBe('paid');
    expect(fake.deliveries).toEqual([]);
    expect((await fetch(`${fake.url}/pay/cs_test_nope`)).status).toBe(404);
  });
});
