import { useMutation } from 'urql';
import { errorText } from '../../../api/error-text';
import { usePermissions } from '../../../session/MeProvider';
import { dispatchTaskMutation } from '../graphql/dispatch.documents';

/** Dispatches one task now (`dispatchTask`); not rendered for a role that may not dispatch. */
export const DispatchTaskButton = ({ taskId }: { taskId: string }) => {
  const { dispatch } = usePermissions();
  const [result, dispatchTask] = useMutation(dispatchTaskMutation);
  if (!dispatch) return null;
  return (
    <p className="inline-form">
      <button
        type="button"
        className="button button-small"
        data-testid="dispatch-task"
        disabled={result.fetching}
        onClick={() => void dispatchTask({ id: taskId })}
      >
        {result.fetching ? 'Dispatching…' : 'Dispatch now'}
      </button>
      <span role="status" className={result.error ? 'field-error' : 'field-ok'}>
        {result.error ? errorText(result.error) : result.data ? `Queued on ${result.data.dispatchTask.queue}` : null}
      </span>
    </p>
  );
};
