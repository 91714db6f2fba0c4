import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import type { TestRunFieldsFragment as TestRun } from '../../../gql/graphql';
import { formatDateTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import { formatDuration, shortCommit } from '../workspace-format';
import { Disclosure } from './Disclosure';

export const TestRunFields = graphql(`
  fragment TestRunFields on TestRun {
    id
    taskId
    kind
    commit
    command
    exitCode
    signal
    durationMs
    passed
    failed
    output
    truncated
    limitHit
    createdAt
  }
`);

const outcomeOf = (run: TestRun): { text: string; className: string } => {
  if (run.limitHit) return { text: `stopped: ${run.limitHit} limit`, className: 'tag tag-failed' };
  if (run.signal) return { text: `killed by ${run.signal}`, className: 'tag tag-failed' };
  if (run.exitCode === 0) return { text: 'exit 0', className: 'tag tag-done' };
  return { text: run.exitCode === null ? 'no exit code' : `exit ${run.exitCode}`, className: 'tag tag-failed' };
};

const TestRunItem = ({ run }: { run: TestRun }) => {
  const outcome = outcomeOf(run);
  return (
    <Disclosure
      className="workspace-item"
      testId={`workspace-test-run-${run.id}`}
      summary={
        <span className="workspace-item-head">
          <span className="tag">{run.kind}</span>
          <span className={outcome.className}>{outcome.text}</span>
          {run.passed !== null ? <span className="diff-stat-added">{run.passed} passed</span> : null}
          {run.failed !== null ? (
            <span className={run.failed > 0 ? 'diff-stat-removed' : ''}>{run.failed} failed</span>
          ) : null}
          <span>{formatDuration(run.durationMs)}</span>
          {run.taskId ? (
            <span>
              task <code>{run.taskId}</code>
            </span>
          ) : null}
          {run.commit ? <code title={run.commit}>{shortCommit(run.commit)}</code> : null}
          <time dateTime={run.createdAt}>{formatDateTime(run.createdAt)}</time>
        </span>
      }
    >
      {() => (
        <div className="workspace-item-body">
          <p className="workspace-note">
            <code>{run.command}</code>
          </p>
          {run.truncated ? <p className="workspace-note">The output is cut by the sandbox.</p> : null}
          <pre className="code-block" data-testid="workspace-test-output">
            {run.output || '(no output)'}
          </pre>
        </div>
      )}
    </Disclosure>
  );
};

/** The test runs in the sandbox, newest first (an agent's own, or the gate's on a merge result). */
export const TestRunsList = ({ runs }: { runs: readonly FragmentType<typeof TestRunFields>[] }) => {
  if (runs.length === 0) return <Empty>No tests have run yet.</Empty>;
  return (
    <ul className="workspace-items" data-testid="workspace-test-runs">
      {runs.map((ref) => {
        const run = getFragmentData(TestRunFields, ref);
        return (
          <li key={run.id}>
            <TestRunItem run={run} />
          </li>
        );
      })}
    </ul>
  );
};
