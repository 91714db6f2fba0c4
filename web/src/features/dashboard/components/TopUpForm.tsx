import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { formatUsd } from '../../../ui/format';
import { topUpBudgetMutation } from '../graphql/dashboard.documents';

/** Adds to the budget (`topUpBudget`, needs the admin token); the gauge follows the budget event. */
export const TopUpForm = () => {
  const [amount, setAmount] = useState('5');
  const [result, topUp] = useMutation(topUpBudgetMutation);
  const [done, setDone] = useState<string | null>(null);
  const inputId = useId();
  const value = Number(amount);
  const valid = Number.isFinite(value) && value > 0;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setDone(null);
    const outcome = await topUp({ amountUsd: value });
    if (outcome.data) setDone(`Topped up: ${formatUsd(outcome.data.topUpBudget.leftUsd)} left.`);
  };
  return (
    <form className="inline-form top-up" onSubmit={(event) => void submit(event)}>
      <label htmlFor={inputId}>Top up (USD)</label>
      <input
        id={inputId}
        type="number"
        min="0.01"
        step="0.01"
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        size={6}
      />
      <button type="submit" className="button" disabled={!valid || result.fetching}>
        {result.fetching ? 'Topping up…' : 'Top up'}
      </button>
      <span role="status" className={result.error ? 'field-error' : 'field-ok'}>
        {result.error ? errorText(result.error) : done}
      </span>
    </form>
  );
};
