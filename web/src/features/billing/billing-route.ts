/** The Billing page; Stripe Checkout sends the payer back to `#/billing?checkout=success|cancelled`. */
export const billingRoute = '/billing';

export type CheckoutOutcome = 'success' | 'cancelled';

/** What a return from Checkout says (`#/billing?checkout=…`), or null (no return, or another page). */
export const checkoutOutcomeOfHash = (hash: string): CheckoutOutcome | null => {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  if (path !== billingRoute) return null;
  const outcome = new URLSearchParams(query).get('checkout');
  return outcome === 'success' || outcome === 'cancelled' ? outcome : null;
};
