import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { payPageHtml, unknownSessionHtml } from './fake-stripe-pay-page';

/** What the server does with one request (queued behaviours are consumed one per request, any route). */
export type FakeStripeBehaviour =
  /** Serve the route normally. */
  | { kind: 'ok' }
  /** An error status, e.g. 500, or 429 with `retryAfter: '1'`. `body` defaults to a Stripe-style error. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string | object };

/** A form body as parsed: bracket keys become nested objects, numeric indices arrays; every leaf a string. */
export type FakeFormValue = string | FakeFormValue[] | { [key: string]: FakeFormValue };
export type FakeFormBody = { [key: string]: FakeFormValue };

export interface FakeStripeRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/checkout/sessions`. */
  readonly path: string;
  readonly body: FakeFormBody;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeCheckoutSession {
  readonly id: string;
  readonly object: 'checkout.session';
  readonly url: string;
  readonly amount_total: number;
  readonly currency: string | null;
  readonly mode: string;
  readonly metadata: Record<string, string>;
  readonly client_reference_id: string | null;
  readonly success_url: string | null;
  readonly cancel_url: string | null;
  readonly customer: string | null;
  readonly created: number;
  readonly livemode: false;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  payment_intent: string | null;
}

export interface FakePaymentIntent {
  readonly id: string;
  readonly object: 'payment_intent';
  readonly amount: number;
  readonly currency: string;
  readonly customer: string | null;
  readonly payment_method: string | null;
  readonly metadata: Record<string, string>;
  readonly status: 'succeeded' | 'requires_payment_method' | 'requires_confirmation';
  readonly latest_charge: string | null;
  readonly last_payment_error: object | null;
  readonly created: number;
  readonly livemode: false;
}

export interface FakeStripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly type: string;
  readonly created: number;
  readonly livemode: false;
  readonly api_version: string | null;
  readonly data: { readonly object: object };
}

/** One event the payment page delivered to the webhook endpoint, with the endpoint's answer. */
export interface FakeStripeDelivery {
  readonly event: FakeStripeEvent;
  /** The endpoint's HTTP status; null when it could not be reached. */
  readonly status: number | null;
  readonly body: string;
}

export interface FakeStripeServer {
  /** Base URL, e.g. `http://127.0.0.1:4567` (sessions' `url` is `<url>/pay/<id>`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http';
  readonly requests: readonly FakeStripeRequest[];
  readonly sessions: Map<string, FakeCheckoutSession>;
  readonly paymentIntents: Map<string, FakePaymentIntent>;
  /** Payment methods whose confirmation is declined (402 card_error, intent left `requires_payment_method`). */
  readonly failPaymentMethods: Set<string>;
  enqueue(...behaviours: FakeStripeBehaviour[]): void;
  /** Pays the session; returns its `checkout.session.completed` event. */
  complete(sessionId: string): FakeStripeEvent;
  /**
   * Where the payment page (`POST /pay/<id>`) delivers the signed `checkout.session.completed` event
   * before it sends the payer back, as Stripe's webhook does. Unset: the page delivers nothing.
   */
  deliverEventsTo(url: string, secret: string): void;
  /** What the payment page delivered, oldest first (a test may deliver one again: a replay). */
  readonly deliveries: readonly FakeStripeDelivery[];
  /** A `charge.refunded` event for a completed session's charge; `amount` defaults to the whole total. */
  refund(sessionId: string, amount?: number): FakeStripeEvent;
  /** A `charge.dispute.created` event for a completed session's charge. */
  dispute(sessionId: string, options?: { amount?: number; reason?: string }): FakeStripeEvent;
  /** The event as Stripe would POST it: the JSON body and its `Stripe-Signature` header. */
  signedPayload(event: FakeStripeEvent, secret: string): { body: string; header: string };
  close(): Promise<void>;
}

/** A `Stripe-Signature` header for `payload`, as `stripe.webhooks.generateTestHeaderString` makes it. */
export const stripeSignatureHeader = (payload: string, secret: string, timestamp = nowSeconds()): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const newId = (prefix: string): string => `${prefix}_test_${randomBytes(12).toString('hex')}`;

const isDigits = (key: string): boolean => /^\d+$/.test(key);
const arrayify = (value: FakeFormValue): FakeFormValue => {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every(isDigits)) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => arrayify(value[key] as FakeFormValue));
  }
  return Object.fromEntries(keys.map((key) => [key, arrayify(value[key] as FakeFormValue)]));
};

/** Parses `a[b][0][c]=1&d=2` (the stripe client's encoding) into `{ a: { b: [{ c: '1' }] }, d: '2' }`. */
export const parseStripeForm = (text: string): FakeFormBody => {
  const root: { [key: string]: FakeFormValue } = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const head = key.split('[', 1)[0] ?? key;
    const path = [head, ...[...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? '')];
    let node = root;
    path.forEach((segment, index) => {
      const name = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) node[name] = value;
      else {
        const next = node[name];
        const child = typeof next === 'object' && !Array.isArray(next) ? next : {};
        node[name] = child;
        node = child;
      }
    });
  }
  return arrayify(root) as FakeFormBody;
};

const text = (value: FakeFormValue | undefined): string | null => (typeof value === 'string' ? value : null);
const record = (value: FakeFormValue | undefined): Record<string, string> =>
  typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      )
    : {};
const list = (value: FakeFormValue | undefined): FakeFormValue[] => (Array.isArray(value) ? value : []);

const stripeError = (status: number, error: Record<string, unknown>): Reply => ({
  status,
  body: JSON.stringify({ error: { type: 'invalid_request_error', ...error } }),
});
const missing = (kind: string, id: string): Reply =>
  stripeError(404, { code: 'resource_missing', param: 'id', message: `No such ${kind}: '${id}'` });
const parameterMissing = (param: string): Reply =>
  stripeError(400, { code: 'parameter_missing', param, message: `Missing required param: ${param}.` });
const defaultErrorBody = (status: number): object => ({
  error: {
    type: status >= 500 ? 'api_error' : 'invalid_request_error',
    code: status === 429 ? 'rate_limit' : undefined,
    message: `fake Stripe error ${status}`,
  },
});

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

const ok = (object: object): Reply => ({ status: 200, body: JSON.stringify(object) });

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const lineItemsTotal = (body: FakeFormBody): { amount: number; currency: string | null } => {
  let amount = 0;
  let currency: string | null = null;
  for (const item of list(body.line_items)) {
    if (typeof item !== 'object' || Array.isArray(item)) continue;
    const price = typeof item.price_data === 'object' && !Array.isArray(item.price_data) ? item.price_data : {};
    amount += Number(text(price.unit_amount) ?? 0) * Number(text(item.quantity) ?? 1);
    currency ??= text(price.currency);
  }
  return { amount, currency };
};

export const startFakeStripeServer = async (): Promise<FakeStripeServer> => {
  const requests: FakeStripeRequest[] = [];
  const queue: FakeStripeBehaviour[] = [];
  const sessions = new Map<string, FakeCheckoutSession>();
  const paymentIntents = new Map<string, FakePaymentIntent>();
  const failPaymentMethods = new Set<string>();
  const idempotent = new Map<string, Reply>();
  /** Each session's `payment_intent_data[metadata]`: Stripe gives it to the payment intent and its charge. */
  const intentMetadata = new Map<string, Record<string, string>>();
  const deliveries: FakeStripeDelivery[] = [];
  let webhook: { readonly url: string; readonly secret: string } | undefined;
  let baseUrl = '';

  const event = (type: string, object: object): FakeStripeEvent => ({
    id: newId('evt'),
    object: 'event',
    type,
    created: nowSeconds(),
    livemode: false,
    api_version: null,
    data: { object },
  });

  const complete = (sessionId: string): FakeStripeEvent => {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`fake Stripe: no session ${sessionId}`);
    if (session.status !== 'complete') {
      const intent: FakePaymentIntent = {
        id: newId('pi'),
        object: 'payment_intent',
        amount: session.amount_total,
        currency: session.currency ?? 'usd',
        customer: session.customer,
        payment_method: newId('pm'),
        metadata: intentMetadata.get(sessionId) ?? {},
        status: 'succeeded',
        latest_charge: newId('ch'),
        last_payment_error: null,
        created: nowSeconds(),
        livemode: false,
      };
      paymentIntents.set(intent.id, intent);
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: intent.id });
    }
    return event('checkout.session.completed', { ...session });
  };

  const signedPayload = (stripeEvent: FakeStripeEvent, secret: string): { body: string; header: string } => {
    const body = JSON.stringify(stripeEvent, null, 2);
    return { body, header: stripeSignatureHeader(body, secret) };
  };

  /** POSTs the signed event to the configured endpoint and waits for its answer, as Stripe does. */
  const deliver = async (stripeEvent: FakeStripeEvent): Promise<void> => {
    if (!webhook) return;
    const { body, header } = signedPayload(stripeEvent, webhook.secret);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body,
      });
      deliveries.push({ event: stripeEvent, status: response.status, body: await response.text() });
    } catch (error) {
      deliveries.push({ event: stripeEvent, status: null, body: String(error) });
    }
  };

  /** The hosted payment page: GET shows it, POST pays (delivering the event), then back to the site. */
  const payment = async (method: string, sessionId: string): Promise<Reply> => {
    const html = { 'content-type': 'text/html; charset=utf-8' };
    const session = sessions.get(sessionId);
    if (!session) return { status: 404, body: unknownSessionHtml(sessionId), headers: html };
    if (method === 'GET') return { status: 200, body: payPageHtml(session), headers: html };
    if (method !== 'POST') return { status: 405, body: '', headers: { allow: 'GET, POST' } };
    if (session.status === 'open') await deliver(complete(sessionId));
    if (!session.success_url) return { status: 200, body: payPageHtml(session), headers: html };
    return { status: 303, body: '', headers: { location: session.success_url } };
  };

  const createSession = (body: FakeFormBody): Reply => {
    const id = newId('cs');
    const { amount, currency } = lineItemsTotal(body);
    const intentData = body.payment_intent_data;
    const session: FakeCheckoutSession = {
      id,
      object: 'checkout.session',
      url: `${baseUrl}/pay/${id}`,
      amount_total: amount,
      currency: text(body.currency) ?? currency,
      mode: text(body.mode) ?? 'payment',
      metadata: record(body.metadata),
      client_reference_id: text(body.client_reference_id),
      success_url: text(body.success_url),
      cancel_url: text(body.cancel_url),
      // Checkout creates a customer when asked to (`customer_creation=always`), as Stripe does on payment.
      customer: text(body.customer) ?? (text(body.customer_creation) === 'always' ? newId('cus') : null),
      created: nowSeconds(),
      livemode: false,
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
    };
    sessions.set(id, session);
    intentMetadata.set(
      id,
      typeof intentData === 'object' && !Array.isArray(intentData) ? record(intentData.metadata) : {},
    );
    return ok(session);
  };

  const createPaymentIntent = (body: FakeFormBody): Reply => {
    const amount = text(body.amount);
    const currency = text(body.currency);
    if (amount === null) return parameterMissing('amount');
    if (currency === null) return parameterMissing('currency');
    const paymentMethod = text(body.payment_method);
    const confirm = text(body.confirm) === 'true';
    const declined = confirm && paymentMethod !== null && failPaymentMethods.has(paymentMethod);
    const error = {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    };
    const intent: FakePaymentIntent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: Number(amount),
      currency,
      customer: text(body.customer),
      payment_method: declined ? null : paymentMethod,
      metadata: record(body.metadata),
      status:
        declined || paymentMethod === null
          ? 'requires_payment_method'
          : confirm
            ? 'succeeded'
            : 'requires_confirmation',
      latest_charge: confirm && !declined && paymentMethod !== null ? newId('ch') : null,
      last_payment_error: declined ? error : null,
      created: nowSeconds(),
      livemode: false,
    };
    paymentIntents.set(intent.id, intent);
    if (!declined) return ok(intent);
    return { status: 402, body: JSON.stringify({ error: { ...error, payment_intent: intent } }) };
  };

  const route = (method: string, path: string, body: FakeFormBody): Reply => {
    if (method === 'POST' && path === '/v1/checkout/sessions') return createSession(body);
    if (method === 'POST' && path === '/v1/payment_intents') return createPaymentIntent(body);
    const session = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && session) {
      const found = sessions.get(session);
      return found ? ok(found) : missing('checkout.session', session);
    }
    const intent = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && intent) {
      const found = paymentIntents.get(intent);
      return found ? ok(found) : missing('payment_intent', intent);
    }
    return stripeError(404, { message: `Unrecognized request URL (${method}: ${path}).` });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const body = parseStripeForm(await readBody(req));
    requests.push({ method, path, body, headers: req.headers });
    // The payment page is the browser's, not the API's: the queued behaviours are for the API.
    const paySession = /^\/pay\/([^/]+)$/.exec(path)?.[1];
    if (paySession) {
      const page = await payment(method, decodeURIComponent(paySession));
      if (!res.destroyed) res.writeHead(page.status, page.headers).end(page.body);
      return;
    }
    const key = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    const replay = idempotencyKey ? idempotent.get(idempotencyKey) : undefined;
    const behaviour = replay ? { kind: 'ok' as const } : (queue.shift() ?? { kind: 'ok' as const });
    let reply: Reply;
    if (replay) reply = replay;
    else if (behaviour.kind === 'status') {
      const raw = behaviour.body ?? defaultErrorBody(behaviour.status);
      const headers: Record<string, string> = behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {};
      reply = { status: behaviour.status, body: typeof raw === 'string' ? raw : JSON.stringify(raw), headers };
    } else {
      reply = route(method, path, body);
      if (idempotencyKey) idempotent.set(idempotencyKey, reply);
    }
    const headers = { 'content-type': 'application/json', 'request-id': newId('req'), ...reply.headers };
    if (idempotencyKey) Object.assign(headers, { 'idempotency-key': idempotencyKey });
    if (!res.destroyed) res.writeHead(reply.status, headers).end(reply.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  const paid = (sessionId: string): { session: FakeCheckoutSession; intent: FakePaymentIntent } => {
    const session = sessions.get(sessionId);
    const intent = session?.payment_intent ? paymentIntents.get(session.payment_intent) : undefined;
    if (!session || !intent) throw new Error(`fake Stripe: session ${sessionId} is unknown or not completed`);
    return { session, intent };
  };

  const chargeFields = (sessionId: string) => {
    const { session, intent } = paid(sessionId);
    const metadata = { ...session.metadata, ...intent.metadata };
    return { session, intent, metadata, currency: intent.currency, customer: session.customer };
  };

  return {
    url: baseUrl,
    host: '127.0.0.1',
    port,
    protocol: 'http',
    requests,
    sessions,
    paymentIntents,
    failPaymentMethods,
    enqueue: (...behaviours) => queue.push(...behaviours),
    complete,
    deliverEventsTo: (url, secret) => {
      webhook = { url, secret };
    },
    deliveries,
    refund: (sessionId, amount) => {
      const { intent, metadata, currency, customer } = chargeFields(sessionId);
      const refunded = amount ?? intent.amount;
      return event('charge.refunded', {
        id: intent.latest_charge,
        object: 'charge',
        amount: intent.amount,
        amount_refunded: refunded,
        refunded: refunded >= intent.amount,
        currency,
        customer,
        payment_intent: intent.id,
        metadata,
        paid: true,
        status: 'succeeded',
        livemode: false,
      });
    },
    dispute: (sessionId, options = {}) => {
      const { intent, metadata, currency } = chargeFields(sessionId);
      return event('charge.dispute.created', {
        id: newId('du'),
        object: 'dispute',
        amount: options.amount ?? intent.amount,
        currency,
        charge: intent.latest_charge,
        payment_intent: intent.id,
        reason: options.reason ?? 'fraudulent',
        status: 'needs_response',
        metadata,
        created: nowSeconds(),
        livemode: false,
      });
    },
    signedPayload,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};
