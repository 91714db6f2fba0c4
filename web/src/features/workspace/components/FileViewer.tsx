import { useCallback } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../../../api/error-text';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { workspaceFileQuery } from '../graphql/workspace.documents';

export interface FileViewerProps {
  readonly goalId: string;
  readonly path: string;
  /** main's commit: the file is read again when main moves. */
  readonly mainCommit: string | null;
}

/** One text file of main (`file(path)`), as it is on main now. */
export const FileViewer = ({ goalId, path, mainCommit }: FileViewerProps) => {
  const [result, reexecute] = useQuery({ query: workspaceFileQuery, variables: { goalId, path } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefreshOn(mainCommit, refresh, 1000);
  const workspace = result.data?.workspace;
  if (result.error && !workspace) {
    return <ErrorMessage title={`Could not load ${path}`} error={errorText(result.error)} onRetry={refresh} />;
  }
  if (!result.data) return <Loading what={path} />;
  const file = workspace?.file;
  if (!file) return <Empty>{path} is not a text file of main (any more).</Empty>;
  return (
    <div className="file-viewer">
      <div className="file-viewer-head">
        <code>{file.path}</code>
        {file.truncated ? <span className="tag tag-doing">truncated at 256 KiB</span> : null}
      </div>
      <pre className="code-block" data-testid="workspace-file-content">
        {file.content}
      </pre>
    </div>
  );
};
