import { type FormEvent, useId, useState } from 'react';
import { useSession } from '../session/SessionProvider';

/** Optional `x-admin-token` for budget administration; kept for this tab only (sessionStorage). */
export const AdminTokenForm = () => {
  const { adminToken, setAdminToken } = useSession();
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdminToken(draft.trim() || null);
    setDraft('');
  };
  if (adminToken) {
    return (
      <div className="inline-form">
        <span className="admin-flag">Admin token set</span>
        <button type="button" className="button button-quiet" onClick={() => setAdminToken(null)}>
          Forget
        </button>
      </div>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={inputId}>Admin token</label>
      <input
        id={inputId}
        type="password"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        autoComplete="off"
        placeholder="optional"
        size={10}
      />
      <button type="submit" className="button button-quiet" disabled={!draft.trim()}>
        Set
      </button>
    </form>
  );
};
