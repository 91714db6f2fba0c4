import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limitKeys } from './limit-keys';
import { RunningSlots } from './running-slots.store';
import { TokenWindow } from './token-window.store';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Ten connections, so concurrent calls really arrive interleaved from several clients.
const clients = Array.from({ length: 10 }, () => new Redis(redisUrl));
const client = clients[0] as Redis;
let tenant: string;

beforeEach(() => {
  tenant = `test-limits-${randomBytes(4).toString('hex')}`;
});
afterEach(async () => {
  const keys = limitKeys(tenant);
  await client.del(keys.running, keys.tokens);
});
afterAll(() => {
  for (const each of clients) each.disconnect();
});

/** Polls `read` until it returns true; fails after `ms`. */
const eventually = async (read: () => Promise<boolean>, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('RunningSlots against the real Redis', () => {
  const slots = clients.map((each) => new RunningSlots(each));
  const first = slots[0] as RunningSlots;

  it('lets exactly the cap of 200 concurrent acquirers through, from ten connections', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (slots[i % slots.length] as RunningSlots).acquire(tenant, `job-${i}`, 7, 60_000),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'ok')).toHaveLength(7);
    expect(await first.running(tenant)).toBe(7);
    for (const outcome of outcomes) if (outcome.status === 'full') expect(outcome.running).toBe(7);
  });

  it('takes exactly the cap, refuses the next, and frees a slot on release', async () => {
    expect(await first.acquire(tenant, 'a', 2, 60_000)).toEqual({ status: 'ok', running: 1 });
    expect(await first.acquire(tenant, 'b', 2, 60_000)).toEqual({ status: 'ok', running: 2 });
    const refused = await first.acquire(tenant, 'c', 2, 60_000);
    expect(refused.status).toBe('full');
    await first.release(tenant, 'a');
    expect(await first.acquire(tenant, 'c', 2, 60_000)).toEqual({ status: 'ok', running: 2 });
  });

  it('gives a job that holds a slot its own slot again, even at the cap', async () => {
    await first.acquire(tenant, 'a', 1, 60_000);
    expect(await first.acquire(tenant, 'a', 1, 60_000)).toEqual({ status: 'ok', running: 1 });
    expect((await first.acquire(tenant, 'b', 1, 60_000)).status).toBe('full');
  });

  it('frees the slot of a holder that stopped renewing once its lease ends', async () => {
    await first.acquire(tenant, 'dead', 1, 200);
    expect((await first.acquire(tenant, 'next', 1, 60_000)).status).toBe('full');
    await eventually(async () => (await first.acquire(tenant, 'next', 1, 60_000)).status === 'ok');
    expect(await first.renew(tenant, 'dead', 200)).toBe(false);
  });

  it('keeps a renewed lease past its first expiry', async () => {
    await first.acquire(tenant, 'alive', 1, 300);
    const until = Date.now() + 900;
    while (Date.now() < until) {
      expect(await first.renew(tenant, 'alive', 300)).toBe(true);
      expect((await first.acquire(tenant, 'other', 1, 300)).status).toBe('full');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});

describe('TokenWindow against the real Redis', () => {
  const windowMs = 60_000;
  const windows = clients.map((each) => new TokenWindow(each, windowMs));
  const first = windows[0] as TokenWindow;

  it('lets through concurrent takes up to exactly the cap, from ten connections', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (windows[i % windows.length] as TokenWindow).take(tenant, 100, 1_000)),
    );
    const taken = outcomes.filter((outcome) => outcome.status === 'ok');
    // Unless the minute turned in the middle, exactly ten fit; across a turn, at most ten per window.
    const perWindow = new Map<string, number>();
    for (const { window } of taken) perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(10);
    expect(taken.length).toBeGreaterThanOrEqual(10);
  });

  it('takes up to the cap, refuses more with the time to the next window, and takes again after a give-back', async () => {
    const taken = await first.take(tenant, 800, 1_000);
    if (taken.status !== 'ok') throw new Error('the first take must fit');
    const refused = await first.take(tenant, 300, 1_000);
    if (refused.status === 'ok') {
      expect(refused.window).not.toBe(taken.window); // the minute turned in between
      return;
    }
    expect(refused.used).toBe(800);
    expect(refused.retryInMs).toBeGreaterThan(0);
    expect(refused.retryInMs).toBeLessThanOrEqual(windowMs);
    await first.giveBack(tenant, taken.window, 500);
    const again = await first.take(tenant, 300, 1_000);
    expect(again.status).toBe('ok');
  });

  it('never goes below zero, and ignores a give-back to a window that has ended', async () => {
    const taken = await first.take(tenant, 100, 1_000);
    if (taken.status !== 'ok') throw new Error('the first take must fit');
    await first.giveBack(tenant, taken.window, 5_000);
    expect(await client.hget(limitKeys(tenant).tokens, 'used')).toBe('0');
    await first.giveBack(tenant, String(Number(taken.window) - 1), 5_000);
    expect(await client.hget(limitKeys(tenant).tokens, 'used')).toBe('0');
  });

  it('starts every window at zero', async () => {
    const short = new TokenWindow(client, 300);
    const taken = await short.take(tenant, 1_000, 1_000);
    expect(taken.status).toBe('ok');
    await eventually(async () => (await short.take(tenant, 1_000, 1_000)).status === 'ok');
  });
});
