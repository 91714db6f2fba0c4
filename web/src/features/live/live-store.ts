import {
  failResync,
  initialSequence,
  receiveEvent,
  receiveSnapshot,
  type SequenceState,
  startResync,
} from './live-sequence';
import {
  applyEvent,
  applySnapshot,
  emptyLiveState,
  type LiveEvent,
  type LiveSnapshot,
  type LiveState,
} from './live-state';

export interface SyncState {
  /** The last sequence number the client state reflects. */
  readonly lastSeq: number | null;
  readonly resyncing: boolean;
  /** How many snapshots have been applied (the first load, then gaps and reconnects). */
  readonly snapshots: number;
  readonly error: string | null;
}

/**
 * The client's copy of the tenant's live state, keyed by task id, for `useSyncExternalStore`.
 * It only decides; `useLiveEvents` does the I/O (subscription, snapshot requests).
 */
export class LiveStore {
  private live: LiveState = emptyLiveState;
  private sequence: SequenceState<LiveEvent> = initialSequence();
  private sync: SyncState = { lastSeq: null, resyncing: false, snapshots: 0, error: null };
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  readonly getState = (): LiveState => this.live;
  readonly getSync = (): SyncState => this.sync;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Returns whether the event calls for a snapshot. */
  receive(event: LiveEvent): boolean {
    const step = receiveEvent(this.sequence, event);
    this.sequence = step.state;
    this.update(step.apply.reduce(applyEvent, this.live));
    return step.resync;
  }

  beginResync(): void {
    this.sequence = startResync(this.sequence);
    this.update(this.live);
  }

  /** Returns whether another snapshot is needed (an event was lost after this one's read). */
  completeResync(snapshot: LiveSnapshot): boolean {
    const step = receiveSnapshot(this.sequence, snapshot.seq);
    this.sequence = step.state;
    this.sync = { ...this.sync, snapshots: this.sync.snapshots + 1, error: null };
    this.update(step.apply.reduce(applyEvent, applySnapshot(this.live, snapshot)));
    return step.resync;
  }

  failResync(error: string): void {
    this.sequence = failResync(this.sequence);
    this.sync = { ...this.sync, error };
    this.update(this.live);
  }

  private update(next: LiveState): void {
    const { lastSeq, resyncing } = this.sequence;
    if (lastSeq !== this.sync.lastSeq || resyncing !== this.sync.resyncing) {
      this.sync = { ...this.sync, lastSeq, resyncing };
    }
    this.live = next;
    this.scheduleNotify();
  }

  /**
   * Listeners hear about changes at most once per 50 ms: a burst of events (a plan of a thousand
   * tasks arrives as a thousand events) costs one render and one layout, not one per event.
   */
  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setTimeout(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    }, 50);
  }
}
