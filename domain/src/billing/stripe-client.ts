import Stripe from 'stripe';

export interface StripeSettings {
  readonly secretKey: string;
  /** Another API address (a local fake, stripe-mock); unset = api.stripe.com. */
  readonly apiUrl?: string;
}

/** The Stripe client: a few retries with Stripe's own idempotency keys, a bounded wait, no telemetry. */
export const createStripeClient = ({ secretKey, apiUrl }: StripeSettings): Stripe => {
  const address = apiUrl ? new URL(apiUrl) : undefined;
  const protocol = address?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    appInfo: { name: 'AI-Org' },
    ...(address
      ? { host: address.hostname, port: Number(address.port) || (protocol === 'http' ? 80 : 443), protocol }
      : {}),
  });
};
