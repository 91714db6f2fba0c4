import { describe, expect, it } from 'vitest';
import { addToFeed, type FeedEntry, feedEntryOf } from './workspace-feed';

const event = (seq: number, goalId: string, what = 'merge') => ({
  seq,
  at: '2025-01-01T00:00:00.000Z',
  kind: 'workspace',
  workspace: { goalId, taskId: 't1', what, summary: `${what} ${seq}` },
});

describe('the live feed of a workspace', () => {
  it("keeps the events of this page's goal and drops other goals' and other kinds'", () => {
    expect(feedEntryOf(event(1, 'g1'), 'g1')).toEqual({
      seq: 1,
      at: '2025-01-01T00:00:00.000Z',
      what: 'merge',
      taskId: 't1',
      summary: 'merge 1',
    });
    expect(feedEntryOf(event(2, 'g2'), 'g1')).toBeNull();
    expect(feedEntryOf({ seq: 3, at: '', kind: 'task', workspace: null }, 'g1')).toBeNull();
    expect(feedEntryOf({ ...event(4, 'g1'), kind: 'task' }, 'g1')).toBeNull();
  });

  it('reads a missing task id as null', () => {
    const release = { ...event(5, 'g1', 'release'), workspace: { goalId: 'g1', what: 'release', summary: 'v1' } };
    expect(feedEntryOf(release, 'g1')?.taskId).toBeNull();
  });

  it('puts the newest entry on top and keeps at most the limit', () => {
    let feed: readonly FeedEntry[] = [];
    for (let seq = 1; seq <= 4; seq++) {
      const entry = feedEntryOf(event(seq, 'g1'), 'g1');
      if (entry) feed = addToFeed(feed, entry, 3);
    }
    expect(feed.map((entry) => entry.seq)).toEqual([4, 3, 2]);
  });

  it('returns the same feed for an event it already holds', () => {
    const entry = feedEntryOf(event(1, 'g1'), 'g1');
    if (!entry) throw new Error('expected an entry');
    const feed = addToFeed([], entry);
    expect(addToFeed(feed, entry)).toBe(feed);
  });
});
