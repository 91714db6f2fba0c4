/** What the fake's payment page shows of a Checkout Session. */
export interface PayPageSession {
  readonly id: string;
  readonly amount_total: number;
  readonly currency: string | null;
  readonly status: string;
  readonly cancel_url: string | null;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const amountText = (session: PayPageSession): string =>
  `${(session.amount_total / 100).toFixed(2)} ${(session.currency ?? 'usd').toUpperCase()}`;

const page = (title: string, body: string): string =>
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto">
<p><strong>Fake Stripe Checkout</strong> (a local test double: no card, no money)</p>
${body}
</body>
</html>
`;

/**
 * The fake's stand-in for Stripe's hosted Checkout page (`GET /pay/<id>`): the amount, a "Pay" button
 * that posts back to the same URL, and a link to the session's `cancel_url`.
 */
export const payPageHtml = (session: PayPageSession): string => {
  const amount = escapeHtml(amountText(session));
  if (session.status !== 'open') {
    return page(
      'Already paid',
      `<p data-testid="fake-stripe-done">This payment of ${amount} is ${escapeHtml(session.status)}.</p>`,
    );
  }
  const cancel = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url)}" data-testid="fake-stripe-cancel">Cancel and go back</a></p>`
    : '';
  return page(
    `Pay ${amountText(session)}`,
    `<p>Pay <strong data-testid="fake-stripe-amount">${amount}</strong></p>
<form method="post" action="/pay/${encodeURIComponent(session.id)}">
<button type="submit" data-testid="fake-stripe-pay">Pay</button>
</form>
${cancel}`,
  );
};

export const unknownSessionHtml = (id: string): string =>
  page('Unknown session', `<p>No such checkout session: ${escapeHtml(id)}</p>`);
