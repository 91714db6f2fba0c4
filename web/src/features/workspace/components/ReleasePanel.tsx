import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatDateTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { shortCommit } from '../workspace-format';
import { DownloadButton } from './DownloadButton';

export const ReleaseFields = graphql(`
  fragment ReleaseFields on Release {
    id
    tag
    commit
    tarSha256
    tarBytes
    bundleSha256
    bundleBytes
    tarUrl
    bundleUrl
    createdAt
  }
`);

/** The goal's release (once finished): its tag and commit, and the two files with their checksums. */
export const ReleasePanel = ({ release: ref }: { release: FragmentType<typeof ReleaseFields> | null }) => {
  if (!ref) return <Empty>No release yet: the goal is tagged and bundled when it is finished.</Empty>;
  const release = getFragmentData(ReleaseFields, ref);
  return (
    <div className="release" data-testid="workspace-release">
      <div className="workspace-item-head">
        <span className="tag tag-done">{release.tag}</span>
        <code title={release.commit}>{shortCommit(release.commit)}</code>
        <time dateTime={release.createdAt}>{formatDateTime(release.createdAt)}</time>
      </div>
      <DownloadButton
        label=".tar.gz"
        testId="release-tar"
        url={release.tarUrl}
        sha256={release.tarSha256}
        bytes={release.tarBytes}
        fallbackName={`${release.tag}.tar.gz`}
      />
      <DownloadButton
        label="git bundle"
        testId="release-bundle"
        url={release.bundleUrl}
        sha256={release.bundleSha256}
        bytes={release.bundleBytes}
        fallbackName={`${release.tag}.bundle`}
      />
    </div>
  );
};
