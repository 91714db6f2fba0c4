/** The parts of a `workspace` live event the page reads (structural, so it is testable without codegen). */
export interface WorkspaceEventLike {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly workspace?: {
    readonly goalId: string;
    readonly taskId?: string | null;
    readonly what: string;
    readonly summary: string;
  } | null;
}

/** One line of the live feed. */
export interface FeedEntry {
  readonly seq: number;
  readonly at: string;
  readonly what: string;
  readonly taskId: string | null;
  readonly summary: string;
}

/** How many entries the feed keeps (newest first). */
export const feedLimit = 50;

/** The feed entry of an event about this goal's workspace; null for any other event. */
export const feedEntryOf = (event: WorkspaceEventLike, goalId: string): FeedEntry | null => {
  const change = event.workspace;
  if (event.kind !== 'workspace' || !change || change.goalId !== goalId) return null;
  return { seq: event.seq, at: event.at, what: change.what, taskId: change.taskId ?? null, summary: change.summary };
};

/**
 * The feed with the entry on top, at most `limit` entries. An event seen again (same seq, as after a
 * resubscription) returns the same feed, so nothing re-renders or refetches for it.
 */
export const addToFeed = (feed: readonly FeedEntry[], entry: FeedEntry, limit = feedLimit): readonly FeedEntry[] => {
  if (feed.some((existing) => existing.seq === entry.seq)) return feed;
  return [entry, ...feed].slice(0, limit);
};
