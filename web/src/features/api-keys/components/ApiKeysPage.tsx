import { useCallback } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
import { Panel } from '../../../ui/Panel';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { apiKeysQuery } from '../graphql/api-keys.documents';
import { ApiKeyTable } from './ApiKeyTable';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import '../../../ui/layout.css';
import './ApiKeysPage.css';

const KeysPanel = () => {
  const [result, reexecute] = useQuery({ query: apiKeysQuery, requestPolicy: 'network-only' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const keys = result.data?.apiKeys;
  return (
    <div className="api-keys-grid">
      <Panel title="Create an API key">
        <CreateApiKeyForm onCreated={refresh} />
      </Panel>
      <Panel title="API keys" testId="api-keys">
        {keys ? (
          keys.length > 0 ? (
            <ApiKeyTable keys={keys} onRevoked={refresh} />
          ) : (
            <Empty>No keys yet.</Empty>
          )
        ) : result.error ? (
          <ErrorMessage title="Could not load the keys" error={errorText(result.error)} onRetry={refresh} />
        ) : (
          <Loading what="API keys" />
        )}
      </Panel>
    </div>
  );
};

/** The tenant's API keys, for owners; nobody else is offered the page. */
export const ApiKeysPage = () => {
  const { manageKeys } = usePermissions();
  return manageKeys ? <KeysPanel /> : <Empty>Only the tenant's owners manage its API keys.</Empty>;
};
