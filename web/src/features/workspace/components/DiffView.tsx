import { useMemo } from 'react';
import { diffLines } from '../diff-lines';

/** A unified diff, its added and removed lines, hunks and file headers coloured. */
export const DiffView = ({ diff }: { diff: string }) => {
  const lines = useMemo(() => diffLines(diff), [diff]);
  return (
    <pre className="code-block diff" data-testid="workspace-diff">
      {lines.map((line) => (
        <span key={line.number} className={`diff-line diff-${line.kind}`}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
};
