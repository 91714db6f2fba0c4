import { describe, expect, it } from 'vitest';
import { checkoutOutcomeOfHash } from './billing-route';

describe('the return from Stripe Checkout', () => {
  it('reads a paid and a cancelled checkout from the Billing page hash', () => {
    expect(checkoutOutcomeOfHash('#/billing?checkout=success')).toBe('success');
    expect(checkoutOutcomeOfHash('#/billing?checkout=cancelled')).toBe('cancelled');
    expect(checkoutOutcomeOfHash('#/billing?x=1&checkout=success')).toBe('success');
  });

  it('reads nothing from the plain page, another page or an unknown value', () => {
    expect(checkoutOutcomeOfHash('#/billing')).toBeNull();
    expect(checkoutOutcomeOfHash('#/keys?checkout=success')).toBeNull();
    expect(checkoutOutcomeOfHash('#/billing?checkout=maybe')).toBeNull();
    expect(checkoutOutcomeOfHash('')).toBeNull();
  });
});
