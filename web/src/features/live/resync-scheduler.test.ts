import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResyncScheduler } from './resync-scheduler';

describe('the snapshot scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges requests made while a snapshot is on its way into one more', async () => {
    let release: (again: boolean) => void = () => {};
    const run = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const scheduler = createResyncScheduler({ run, minGapMs: 500, retryMs: 3000 });
    scheduler.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.request();
    scheduler.request();
    release(false);
    await vi.advanceTimersByTimeAsync(499);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.dispose();
  });

  it('retries a failed snapshot after the retry delay', async () => {
    const run = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(false);
    const scheduler = createResyncScheduler({ run, minGapMs: 500, retryMs: 3000 });
    scheduler.request();
    await vi.advanceTimersByTimeAsync(2999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.dispose();
  });
});
