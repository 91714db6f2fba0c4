import { type FormEvent, useId, useState } from 'react';
import { apiKeyProblem } from '../session/credentials';
import { useSession } from '../session/SessionProvider';
import { Panel } from '../ui/Panel';
import './SignInPage.css';

/** Token mode: paste an API key; it is kept for this tab only (sessionStorage) until "Sign out". */
export const SignInPage = () => {
  const { signIn, notice } = useSession();
  const [draft, setDraft] = useState('');
  const [touched, setTouched] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const problem = apiKeyProblem(draft);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem === null) signIn(draft);
  };
  const showProblem = touched && problem !== null;
  return (
    <main className="page sign-in-page">
      <Panel title="Sign in to AI-Org">
        {notice ? (
          <p className="notice notice-warning" role="alert" data-testid="sign-in-notice">
            {notice}
          </p>
        ) : null}
        <form className="sign-in-form" onSubmit={submit} data-testid="sign-in-form">
          <label htmlFor={inputId}>API key</label>
          <input
            id={inputId}
            data-testid="api-key-input"
            type="password"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={() => setTouched(draft !== '')}
            autoComplete="off"
            spellCheck={false}
            placeholder="aiorg_…"
            aria-invalid={showProblem}
            aria-describedby={showProblem ? errorId : undefined}
          />
          {showProblem ? (
            <span id={errorId} className="field-error">
              {problem}
            </span>
          ) : null}
          <button type="submit" className="button" data-testid="sign-in-submit">
            Sign in
          </button>
        </form>
        <p className="sign-in-help">
          Ask an owner of your tenant for a key (API keys page), or a platform admin for a new tenant's first key. The
          key is kept for this browser tab only; "Sign out" forgets it.
        </p>
      </Panel>
    </main>
  );
};
