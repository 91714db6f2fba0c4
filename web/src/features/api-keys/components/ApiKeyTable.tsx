import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import type { ApiKeysQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../ui/format';
import { revokeApiKeyMutation } from '../graphql/api-keys.documents';
import '../../dashboard/components/data-table.css';

type ApiKeyRow = ApiKeysQuery['apiKeys'][number];

const stateOf = (key: ApiKeyRow, now: number): string => {
  if (key.revokedAt) return `revoked ${formatDateTime(key.revokedAt)}`;
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return `expired ${formatDateTime(key.expiresAt)}`;
  return key.expiresAt ? `active until ${formatDateTime(key.expiresAt)}` : 'active';
};

/** The tenant's keys: name, role, prefix, last use and state, with "Revoke" on the active ones. */
export const ApiKeyTable = ({ keys, onRevoked }: { keys: readonly ApiKeyRow[]; onRevoked: () => void }) => {
  const [result, revoke] = useMutation(revokeApiKeyMutation);
  const now = Date.now();
  const revokeKey = async (key: ApiKeyRow) => {
    if (!window.confirm(`Revoke "${key.name}"? Requests with it are refused from now on.`)) return;
    const outcome = await revoke({ id: key.id });
    if (outcome.data) onRevoked();
  };
  return (
    <>
      {result.error ? <p className="field-error">{errorText(result.error)}</p> : null}
      <table className="data-table" data-testid="api-key-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Prefix</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-testid={`api-key-row-${key.id}`}>
              <td>{key.name}</td>
              <td>{key.role}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}</td>
              <td>{stateOf(key, now)}</td>
              <td>
                {key.revokedAt ? null : (
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    disabled={result.fetching}
                    onClick={() => void revokeKey(key)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};
