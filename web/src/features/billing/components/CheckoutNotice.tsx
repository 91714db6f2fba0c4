import type { CheckoutOutcome } from '../billing-route';
import '../../../ui/notice.css';

const said: Record<CheckoutOutcome, { readonly text: string; readonly className: string }> = {
  // Stripe sends the payer back before (or while) it reports the payment: only its signed event credits it.
  success: { text: 'Payment received — it is credited when Stripe confirms it.', className: 'notice notice-ok' },
  cancelled: { text: 'Payment cancelled, nothing was charged.', className: 'notice notice-warning' },
};

/** What the return from Stripe Checkout means, until dismissed. */
export const CheckoutNotice = ({ outcome, onDismiss }: { outcome: CheckoutOutcome; onDismiss: () => void }) => (
  <div className={`${said[outcome].className} billing-notice`} role="status" data-testid="billing-checkout-notice">
    <span>{said[outcome].text}</span>
    <button type="button" className="button button-small button-quiet" onClick={onDismiss}>
      Dismiss
    </button>
  </div>
);
