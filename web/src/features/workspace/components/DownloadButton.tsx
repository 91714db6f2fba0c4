import { type ReleaseFile, useReleaseDownload } from '../hooks/useReleaseDownload';
import { formatBytes } from '../workspace-format';

export interface DownloadButtonProps extends ReleaseFile {
  readonly label: string;
  readonly bytes: number;
  readonly testId: string;
}

/** A release file: its recorded SHA-256, a download button, and whether what arrived matches it. */
export const DownloadButton = ({ label, bytes, testId, ...file }: DownloadButtonProps) => {
  const { state, download } = useReleaseDownload(file);
  return (
    <div className="release-file" data-testid={testId}>
      <button
        type="button"
        className="button button-small"
        disabled={state.status === 'downloading'}
        onClick={() => void download()}
      >
        {state.status === 'downloading' ? 'Downloading…' : `Download ${label}`}
      </button>
      <span className="release-size">{formatBytes(bytes)}</span>
      <span className="release-sha">
        SHA-256 <code>{file.sha256}</code>
      </span>
      <span role="status" className="release-verdict">
        {state.status === 'done' ? (
          state.verified ? (
            <span className="tag tag-done">verified</span>
          ) : (
            <span className="tag tag-failed" title={`received ${state.sha256}`}>
              checksum mismatch
            </span>
          )
        ) : state.status === 'failed' ? (
          <span className="field-error">{state.error}</span>
        ) : null}
      </span>
    </div>
  );
};
