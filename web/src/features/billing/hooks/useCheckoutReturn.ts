import { useCallback, useEffect, useState } from 'react';
import { billingRoute, type CheckoutOutcome, checkoutOutcomeOfHash } from '../billing-route';

/**
 * What the return from Stripe Checkout said (`#/billing?checkout=…`), kept until dismissed. The URL
 * loses the parameter at once, so reloading the page does not announce the payment a second time.
 */
export const useCheckoutReturn = (): { readonly outcome: CheckoutOutcome | null; readonly dismiss: () => void } => {
  const [outcome, setOutcome] = useState(() => checkoutOutcomeOfHash(window.location.hash));
  useEffect(() => {
    const read = () => {
      const next = checkoutOutcomeOfHash(window.location.hash);
      if (next) setOutcome(next);
    };
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);
  useEffect(() => {
    if (outcome && checkoutOutcomeOfHash(window.location.hash))
      window.history.replaceState(null, '', `#${billingRoute}`);
  }, [outcome]);
  const dismiss = useCallback(() => setOutcome(null), []);
  return { outcome, dismiss };
};
