import { useSocketState } from '../api/ApiProvider';
import { useLiveSync } from '../features/live/components/LiveProvider';

const labels = { live: 'live', connecting: 'connecting…', offline: 'offline' } as const;

/** The subscription's state: the text is exactly "live" while the socket is connected. */
export const LiveStatus = () => {
  const { status, reason } = useSocketState();
  const { lastSeq, resyncing, error } = useLiveSync();
  const details = [
    lastSeq === null ? 'no events yet' : `last event #${lastSeq}`,
    resyncing ? 'refreshing snapshot' : null,
    reason ? `socket closed: ${reason}` : null,
    error ? `snapshot failed: ${error}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <output className={`live-status live-status-${status}`} title={details} aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      <span data-testid="live-status">{labels[status]}</span>
    </output>
  );
};
