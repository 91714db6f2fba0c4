import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
import { dispatchReadyTasksMutation } from '../graphql/dispatch.documents';

/** "Dispatch ready tasks" (`dispatchReadyTasks`); not rendered at all for a role that may not dispatch. */
export const DispatchReadyButton = () => {
  const { dispatch } = usePermissions();
  const [result, dispatchReady] = useMutation(dispatchReadyTasksMutation);
  const [done, setDone] = useState<string | null>(null);
  if (!dispatch) return null;
  const run = async () => {
    setDone(null);
    const outcome = await dispatchReady({});
    const summary = outcome.data?.dispatchReadyTasks;
    if (summary) setDone(`${summary.dispatched.length} dispatched, ${summary.skipped.length} skipped`);
  };
  return (
    <span className="inline-form">
      <button
        type="button"
        className="button button-small"
        data-testid="dispatch-ready"
        disabled={result.fetching}
        onClick={() => void run()}
      >
        {result.fetching ? 'Dispatching…' : 'Dispatch ready tasks'}
      </button>
      <span role="status" className={result.error ? 'field-error' : 'field-ok'}>
        {result.error ? errorText(result.error) : done}
      </span>
    </span>
  );
};
