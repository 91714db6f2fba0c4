import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { setGoalMutation } from '../graphql/goal.documents';

const maxLength = 2000;

/** States what the tenant wants built (`setGoal`); the orchestrator plans it once the backlog is empty. */
export const GoalForm = ({ onSet }: { onSet: () => void }) => {
  const [text, setText] = useState('');
  const [result, setGoal] = useMutation(setGoalMutation);
  const [saved, setSaved] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const trimmed = text.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed) return;
    setSaved(null);
    const outcome = await setGoal({ text: trimmed });
    if (outcome.data) {
      setSaved(`Goal saved (${outcome.data.setGoal.status}).`);
      setText('');
      onSet();
    }
  };
  return (
    <form className="goal-form" onSubmit={(event) => void submit(event)}>
      <label htmlFor={inputId}>What should the agents build?</label>
      <textarea
        id={inputId}
        data-testid="goal-input"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
        }}
        rows={3}
        maxLength={maxLength}
        placeholder="a CLI that converts CSV to JSON"
        aria-describedby={hintId}
      />
      <div className="goal-form-actions">
        <span id={hintId} className="hint">
          Planned once the backlog is empty. Ctrl+Enter sends.
        </span>
        <button type="submit" className="button" data-testid="goal-submit" disabled={!trimmed || result.fetching}>
          {result.fetching ? 'Saving…' : 'Set goal'}
        </button>
      </div>
      <p role="status" className={result.error ? 'field-error' : 'field-ok'}>
        {result.error ? errorText(result.error) : saved}
      </p>
    </form>
  );
};
