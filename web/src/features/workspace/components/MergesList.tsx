import { useMemo } from 'react';
import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import type { WorkspaceMergeFieldsFragment as Merge } from '../../../gql/graphql';
import { formatDateTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { diffLines, diffStat } from '../diff-lines';
import { shortCommit } from '../workspace-format';
import { DiffView } from './DiffView';
import { Disclosure } from './Disclosure';

export const WorkspaceMergeFields = graphql(`
  fragment WorkspaceMergeFields on WorkspaceMerge {
    id
    taskId
    commit
    previousMain
    diff
    diffTruncated
    files
    createdAt
  }
`);

const MergeItem = ({ merge }: { merge: Merge }) => {
  const stat = useMemo(() => diffStat(diffLines(merge.diff)), [merge.diff]);
  return (
    <Disclosure
      className="workspace-item"
      testId={`workspace-merge-${merge.id}`}
      summary={
        <span className="workspace-item-head">
          <code title={merge.commit}>{shortCommit(merge.commit)}</code>
          <span>
            task <code>{merge.taskId}</code>
          </span>
          <span>{merge.files.length === 1 ? '1 file' : `${merge.files.length} files`}</span>
          <span className="diff-stat-added">+{stat.added}</span>
          <span className="diff-stat-removed">−{stat.removed}</span>
          <time dateTime={merge.createdAt}>{formatDateTime(merge.createdAt)}</time>
        </span>
      }
    >
      {() => (
        <div className="workspace-item-body">
          <p className="workspace-note">
            main moved from <code>{shortCommit(merge.previousMain)}</code> to <code>{shortCommit(merge.commit)}</code>:{' '}
            {merge.files.join(', ')}
          </p>
          {merge.diffTruncated ? <p className="workspace-note">The diff is cut at 64 KiB.</p> : null}
          <DiffView diff={merge.diff} />
        </div>
      )}
    </Disclosure>
  );
};

/** What each task merged into main, newest first: commit, task, files and the diff (opened on demand). */
export const MergesList = ({ merges }: { merges: readonly FragmentType<typeof WorkspaceMergeFields>[] }) => {
  if (merges.length === 0) return <Empty>No task has merged into main yet.</Empty>;
  return (
    <ul className="workspace-items" data-testid="workspace-merges">
      {merges.map((ref) => {
        const merge = getFragmentData(WorkspaceMergeFields, ref);
        return (
          <li key={merge.id}>
            <MergeItem merge={merge} />
          </li>
        );
      })}
    </ul>
  );
};
