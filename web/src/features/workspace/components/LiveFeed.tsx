import { formatTime } from '../../../ui/format';
import { Empty } from '../../../ui/StateMessage';
import type { FeedEntry } from '../workspace-feed';

/** The goal's workspace events since the page opened, newest first. */
export const LiveFeed = ({ entries }: { entries: readonly FeedEntry[] }) => {
  if (entries.length === 0) return <Empty>No workspace activity since this page was opened.</Empty>;
  return (
    <ol className="workspace-feed" aria-live="polite" data-testid="workspace-feed">
      {entries.map((entry) => (
        <li key={entry.seq} className={`workspace-event workspace-event-${entry.what}`}>
          <time dateTime={entry.at}>{formatTime(entry.at)}</time>
          <strong>{entry.what.replace('_', ' ')}</strong>
          {entry.taskId ? <code>{entry.taskId}</code> : null}
          <span className="workspace-event-summary">{entry.summary}</span>
        </li>
      ))}
    </ol>
  );
};
