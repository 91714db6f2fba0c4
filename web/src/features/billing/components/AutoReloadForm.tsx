import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { setAutoReloadMutation } from '../graphql/billing.documents';
import type { TopUpLimits } from '../top-up-amount';

export interface AutoReloadSetting {
  readonly enabled: boolean;
  readonly thresholdUsd: number;
  readonly amountUsd: number;
  readonly cardSaved: boolean;
}

const usdOf = (text: string): number | null => {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : null;
};

/**
 * A tenant that never set auto-reload holds 0 and 0, which the API refuses as an amount: the form
 * suggests reloading by four minimum top-ups when less than one is left.
 */
const suggested = (saved: AutoReloadSetting, limits: TopUpLimits) =>
  saved.amountUsd > 0
    ? { threshold: saved.thresholdUsd, amount: saved.amountUsd }
    : { threshold: limits.minUsd, amount: Math.min(limits.minUsd * 4, limits.maxUsd) };

/** Turns automatic reloads on or off (owners); the API says why when it cannot (no card saved, bad amounts). */
export const AutoReloadForm = ({
  saved,
  limits,
  justSaved = false,
  onSaved,
}: {
  saved: AutoReloadSetting;
  limits: TopUpLimits;
  /** The last submit saved (this form may be a new one, remounted with the saved values). */
  justSaved?: boolean;
  /** The setting changed: the page reads it again. */
  onSaved: () => void;
}) => {
  const [enabled, setEnabled] = useState(saved.enabled);
  const [threshold, setThreshold] = useState(() => String(suggested(saved, limits).threshold));
  const [amount, setAmount] = useState(() => String(suggested(saved, limits).amount));
  const [result, save] = useMutation(setAutoReloadMutation);
  const [done, setDone] = useState(justSaved);
  const ids = { enabled: useId(), threshold: useId(), amount: useId() };
  const thresholdUsd = usdOf(threshold);
  const amountUsd = usdOf(amount);
  const valid = thresholdUsd !== null && amountUsd !== null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (thresholdUsd === null || amountUsd === null) return;
    setDone(false);
    const outcome = await save({ enabled, thresholdUsd, amountUsd });
    if (outcome.data) {
      setDone(true);
      onSaved();
    }
  };
  return (
    <>
      <form className="inline-form" onSubmit={(event) => void submit(event)} data-testid="billing-auto-reload-form">
        <input
          id={ids.enabled}
          type="checkbox"
          data-testid="billing-auto-reload-enabled"
          checked={enabled}
          onChange={(event) => setEnabled(event.target.checked)}
        />
        <label htmlFor={ids.enabled}>Reload automatically</label>
        <label htmlFor={ids.threshold}>when less than (USD)</label>
        <input
          id={ids.threshold}
          data-testid="billing-auto-reload-threshold"
          type="number"
          min="0"
          step="0.01"
          size={6}
          value={threshold}
          onChange={(event) => setThreshold(event.target.value)}
          aria-invalid={thresholdUsd === null}
        />
        <label htmlFor={ids.amount}>is left, by (USD)</label>
        <input
          id={ids.amount}
          data-testid="billing-auto-reload-amount"
          type="number"
          min="0"
          step="0.01"
          size={6}
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          aria-invalid={amountUsd === null}
        />
        <button
          type="submit"
          className="button"
          data-testid="billing-auto-reload-save"
          disabled={!valid || result.fetching}
        >
          {result.fetching ? 'Saving…' : 'Save'}
        </button>
      </form>
      {!saved.cardSaved && enabled ? (
        <p className="hint">Auto-reload needs a saved card: make one top-up first.</p>
      ) : null}
      <p role="status" className={result.error ? 'field-error' : 'field-ok'} data-testid="billing-auto-reload-result">
        {result.error ? errorText(result.error) : done ? 'Saved.' : null}
      </p>
    </>
  );
};
