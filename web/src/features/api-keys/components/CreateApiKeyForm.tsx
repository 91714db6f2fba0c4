import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import type { TenantRole } from '../../../gql/graphql';
import { type ExpiryChoice, expiresAtFor, expiryChoices } from '../api-key-expiry';
import { createApiKeyMutation } from '../graphql/api-keys.documents';
import { NewKeySecret } from './NewKeySecret';

const roles: readonly TenantRole[] = ['viewer', 'member', 'owner'];

/** Creates a key (name, role, optional expiry) and shows its secret once. */
export const CreateApiKeyForm = ({ onCreated }: { onCreated: () => void }) => {
  const [name, setName] = useState('');
  const [role, setRole] = useState<TenantRole>('viewer');
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [result, create] = useMutation(createApiKeyMutation);
  const ids = { name: useId(), role: useId(), expiry: useId() };
  const trimmed = name.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed) return;
    const outcome = await create({ name: trimmed, role, expiresAt: expiresAtFor(expiry, new Date()) });
    if (outcome.data) {
      setCreated({ name: outcome.data.createApiKey.key.name, secret: outcome.data.createApiKey.secret });
      setName('');
      onCreated();
    }
  };
  return (
    <>
      <form className="inline-form" onSubmit={(event) => void submit(event)} data-testid="create-api-key">
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          data-testid="api-key-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          placeholder="ci-script"
          size={16}
        />
        <label htmlFor={ids.role}>Role</label>
        <select
          id={ids.role}
          data-testid="api-key-role"
          value={role}
          onChange={(event) => setRole(event.target.value as TenantRole)}
        >
          {roles.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
        <label htmlFor={ids.expiry}>Expires</label>
        <select id={ids.expiry} value={expiry} onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}>
          {expiryChoices.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button" data-testid="api-key-create" disabled={!trimmed || result.fetching}>
          {result.fetching ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {result.error ? <p className="field-error">{errorText(result.error)}</p> : null}
      {created ? <NewKeySecret name={created.name} secret={created.secret} onDismiss={() => setCreated(null)} /> : null}
    </>
  );
};
