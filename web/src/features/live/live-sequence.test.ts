import { describe, expect, it } from 'vitest';
import { initialSequence, receiveEvent, receiveSnapshot, type SequenceState, startResync } from './live-sequence';

type Event = { seq: number; label: string };
const event = (seq: number): Event => ({ seq, label: `e${seq}` });
const synced = (lastSeq: number): SequenceState<Event> => ({ lastSeq, resyncing: false, buffered: [] });

describe('the live sequence contract', () => {
  it('asks for a snapshot before the first one and buffers what arrives meanwhile', () => {
    const step = receiveEvent(initialSequence<Event>(), event(4));
    expect(step.resync).toBe(true);
    expect(step.apply).toEqual([]);
    expect(step.state.buffered).toEqual([event(4)]);
  });

  it('applies the next event in sequence', () => {
    const step = receiveEvent(synced(7), event(8));
    expect(step.apply).toEqual([event(8)]);
    expect(step.resync).toBe(false);
    expect(step.state.lastSeq).toBe(8);
  });

  it('ignores an event the state already reflects', () => {
    const step = receiveEvent(synced(7), event(7));
    expect(step.apply).toEqual([]);
    expect(step.resync).toBe(false);
    expect(step.state.lastSeq).toBe(7);
  });

  it('asks for a snapshot on a gap and applies nothing out of order', () => {
    const step = receiveEvent(synced(7), event(9));
    expect(step.resync).toBe(true);
    expect(step.apply).toEqual([]);
    expect(step.state.lastSeq).toBe(7);
  });

  it('after the snapshot applies only the buffered events with a higher seq, in order, once each', () => {
    let state = startResync(synced(3));
    for (const seq of [12, 10, 11, 12, 9]) state = receiveEvent(state, event(seq)).state;
    const step = receiveSnapshot(state, 10);
    expect(step.apply.map((e) => e.seq)).toEqual([11, 12]);
    expect(step.resync).toBe(false);
    expect(step.state).toEqual({ lastSeq: 12, resyncing: false, buffered: [] });
  });

  it('asks again when an event newer than the snapshot is missing', () => {
    let state = startResync(synced(3));
    state = receiveEvent(state, event(13)).state;
    const step = receiveSnapshot(state, 10);
    expect(step.apply.map((e) => e.seq)).toEqual([13]);
    expect(step.resync).toBe(true);
  });

  it('takes the snapshot seq when nothing newer was buffered', () => {
    const step = receiveSnapshot(startResync(initialSequence<Event>()), 42);
    expect(step.state.lastSeq).toBe(42);
    expect(step.apply).toEqual([]);
  });
});
