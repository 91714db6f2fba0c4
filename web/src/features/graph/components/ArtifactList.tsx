import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatDateTime, formatTokens } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import '../../../ui/tag.css';
import './ArtifactList.css';

export const ArtifactFields = graphql(`
  fragment ArtifactFields on Artifact {
    id
    kind
    provider
    model
    offline
    content
    createdAt
    tokensUsed
  }
`);

/** What the agents produced for the task, newest first; offline deliverables are labelled so. */
export const ArtifactList = ({ artifacts }: { artifacts: readonly FragmentType<typeof ArtifactFields>[] }) => {
  if (artifacts.length === 0) return <Empty>No artifact yet.</Empty>;
  return (
    <ol className="artifact-list">
      {artifacts.map((ref) => {
        const artifact = getFragmentData(ArtifactFields, ref);
        return (
          <li key={artifact.id} className="artifact">
            <div className="artifact-meta">
              <strong>{artifact.kind}</strong>
              <span>
                {artifact.provider} · {artifact.model}
              </span>
              {artifact.offline ? <span className="tag tag-offline">offline: not model output</span> : null}
              <span>{formatTokens(artifact.tokensUsed)} tokens</span>
              <time dateTime={artifact.createdAt}>{formatDateTime(artifact.createdAt)}</time>
            </div>
            <pre className="artifact-content">{artifact.content}</pre>
          </li>
        );
      })}
    </ol>
  );
};
