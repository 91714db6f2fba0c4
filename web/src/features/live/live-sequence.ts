/**
 * The delivery contract of README "Live events", as a pure state machine: events carry the tenant's
 * sequence number; a gap (or a reconnect) calls for `liveSnapshot`, after which only events with a
 * higher `seq` are applied. Events that arrive while a snapshot is on its way wait in a buffer.
 */
export interface Sequenced {
  readonly seq: number;
}

export interface SequenceState<E extends Sequenced> {
  /** The last seq the client state reflects; null before the first snapshot. */
  readonly lastSeq: number | null;
  /** A snapshot has been asked for and has not arrived yet. */
  readonly resyncing: boolean;
  readonly buffered: readonly E[];
}

export interface Step<E extends Sequenced> {
  readonly state: SequenceState<E>;
  /** Events to apply to the client state, in order. */
  readonly apply: readonly E[];
  /** Whether a (new) snapshot is needed. */
  readonly resync: boolean;
}

export const initialSequence = <E extends Sequenced>(): SequenceState<E> => ({
  lastSeq: null,
  resyncing: false,
  buffered: [],
});

/** Asks for a snapshot: events from now on are buffered until it arrives. */
export const startResync = <E extends Sequenced>(state: SequenceState<E>): SequenceState<E> => ({
  ...state,
  resyncing: true,
});

/** The snapshot request failed: keep the buffer, the next event or retry asks again. */
export const failResync = <E extends Sequenced>(state: SequenceState<E>): SequenceState<E> => ({
  ...state,
  resyncing: false,
});

export const receiveEvent = <E extends Sequenced>(state: SequenceState<E>, event: E): Step<E> => {
  if (state.resyncing || state.lastSeq === null) {
    return { state: { ...state, buffered: [...state.buffered, event] }, apply: [], resync: !state.resyncing };
  }
  if (event.seq <= state.lastSeq) return { state, apply: [], resync: false };
  if (event.seq !== state.lastSeq + 1) {
    return { state: { ...state, buffered: [...state.buffered, event] }, apply: [], resync: true };
  }
  return { state: { ...state, lastSeq: event.seq }, apply: [event], resync: false };
};

/**
 * The snapshot (read at `snapshotSeq`) replaced the client state: apply the buffered events that
 * are newer, in order and once each. A hole between the snapshot and those events means an event
 * was lost after the snapshot's read: they are applied anyway (whole snapshots) and another
 * snapshot is asked for.
 */
export const receiveSnapshot = <E extends Sequenced>(state: SequenceState<E>, snapshotSeq: number): Step<E> => {
  const newer = new Map<number, E>();
  for (const event of state.buffered) if (event.seq > snapshotSeq) newer.set(event.seq, event);
  const apply = [...newer.values()].sort((a, b) => a.seq - b.seq);
  const hole = apply.some((event, i) => event.seq !== snapshotSeq + i + 1);
  return {
    state: { lastSeq: apply.at(-1)?.seq ?? snapshotSeq, resyncing: false, buffered: [] },
    apply,
    resync: hole,
  };
};
