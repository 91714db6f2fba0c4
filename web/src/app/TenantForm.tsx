import { type FormEvent, useEffect, useId, useState } from 'react';
import { tenantPattern } from '../session/credentials';
import { useSession } from '../session/SessionProvider';

/** The tenant every request and the live socket are made for; kept in localStorage (development mode: unverified). */
export const TenantForm = () => {
  const { tenant, setTenant } = useSession();
  const [draft, setDraft] = useState(tenant);
  const inputId = useId();
  const errorId = useId();
  useEffect(() => setDraft(tenant), [tenant]);
  const trimmed = draft.trim();
  const invalid = trimmed !== '' && !tenantPattern.test(trimmed);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed && !invalid) setTenant(trimmed);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={inputId}>Tenant</label>
      <input
        id={inputId}
        data-testid="tenant-input"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
        size={14}
      />
      <button type="submit" className="button" data-testid="tenant-apply" disabled={!trimmed || invalid}>
        Apply
      </button>
      {invalid ? (
        <span id={errorId} className="field-error">
          lowercase letters, digits, - or _
        </span>
      ) : null}
    </form>
  );
};
