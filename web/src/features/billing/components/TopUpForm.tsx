import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { formatUsd } from '../../../ui/format';
import { createTopUpCheckoutMutation } from '../graphql/billing.documents';
import { parseTopUpAmount, type TopUpLimits } from '../top-up-amount';

/** Only Stripe's own pages: a Checkout URL is always http(s). */
const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/** Opens a Stripe Checkout page for the amount (owners); Stripe sends the payer back to this page. */
export const TopUpForm = ({ limits }: { limits: TopUpLimits }) => {
  const [amount, setAmount] = useState('');
  const [leaving, setLeaving] = useState(false);
  const [badUrl, setBadUrl] = useState(false);
  const [result, createCheckout] = useMutation(createTopUpCheckoutMutation);
  const inputId = useId();
  const parsed = parseTopUpAmount(amount, limits);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok) return;
    const outcome = await createCheckout({ amountUsd: parsed.amountUsd });
    const url = outcome.data?.createTopUpCheckout.url;
    if (!url) return;
    if (!isWebUrl(url)) {
      setBadUrl(true);
      return;
    }
    setLeaving(true);
    window.location.assign(url);
  };
  const invalid = amount.trim() !== '' && !parsed.ok;
  return (
    <>
      <form className="inline-form" onSubmit={(event) => void submit(event)} data-testid="billing-top-up-form">
        <label htmlFor={inputId}>Amount (USD)</label>
        <input
          id={inputId}
          data-testid="billing-amount"
          type="number"
          inputMode="decimal"
          min={limits.minUsd}
          max={limits.maxUsd}
          step="0.01"
          placeholder={String(limits.minUsd)}
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          aria-invalid={invalid}
          size={8}
        />
        <button
          type="submit"
          className="button"
          data-testid="billing-top-up"
          disabled={!parsed.ok || result.fetching || leaving}
        >
          {leaving ? 'Opening Stripe…' : result.fetching ? 'Preparing…' : 'Top up with Stripe'}
        </button>
      </form>
      {invalid && !parsed.ok ? <p className="field-error">{parsed.reason}</p> : null}
      {result.error ? <p className="field-error">{errorText(result.error)}</p> : null}
      {badUrl ? <p className="field-error">The API answered with a payment address that is not a web page.</p> : null}
      <p className="hint">
        From {formatUsd(limits.minUsd)} to {formatUsd(limits.maxUsd)}. You pay on Stripe’s page; the budget is credited
        when Stripe confirms the payment, and your card is saved for automatic reloads.
      </p>
    </>
  );
};
