import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventPublisher, readSequence } from './event-publisher';
import { eventSequenceKey, parseTenantEvent, tenantEventChannel } from './tenant-events';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const budget = { leftUsd: 1, reservedUsd: 0, spentUsd: 0, fundedUsd: 1, thresholdsCrossed: [] };

describe('EventPublisher sequence numbers against the real Redis', () => {
  const redis = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl);
  const publisher = new EventPublisher(redis);
  let tenant: string;
  let seqs: number[];
  /** `leftUsd` of each budget event received, in order of arrival. */
  let lefts: number[];
  /** Scripts the publisher ran (each one round trip). */
  const scripts = vi.spyOn(redis, 'eval');

  const publish = async (count: number) => {
    const before = seqs.length;
    for (let i = 0; i < count; i += 1) await publisher.publish(tenant, { kind: 'budget', budget });
    await expect.poll(() => seqs.length).toBe(before + count);
    return seqs.slice(before);
  };

  beforeEach(async () => {
    tenant = `test-events-${randomBytes(4).toString('hex')}`;
    seqs = [];
    lefts = [];
    await subscriber.subscribe(tenantEventChannel(tenant));
  });
  afterEach(async () => {
    await subscriber.unsubscribe(tenantEventChannel(tenant));
    await redis.del(eventSequenceKey(tenant));
  });
  afterAll(() => {
    redis.disconnect();
    subscriber.disconnect();
  });
  subscriber.on('message', (_channel, message) => {
    const event = parseTenantEvent(message);
    if (event?.tenantId !== tenant) return;
    seqs.push(event.seq);
    if (event.kind === 'budget') lefts.push(event.budget.leftUsd);
  });

  it('numbers a tenant’s events one by one, exactly, from a start above 2^31', async () => {
    const first = await publish(3);
    const start = first[0] as number;
    expect(Number.isSafeInteger(start)).toBe(true);
    expect(start).toBeGreaterThan(2 ** 31);
    expect(first).toEqual([start, start + 1, start + 2]);
    expect(await publisher.currentSequence(tenant)).toBe(start + 2);
  });

  it('publishes many events in order under consecutive numbers, a hundred per round trip, between single ones', async () => {
    const first = await publish(1);
    const bodies = Array.from({ length: 250 }, (_, i) => ({
      kind: 'budget' as const,
      budget: { ...budget, leftUsd: i },
    }));
    const sent = scripts.mock.calls.length;
    await publisher.publishMany(tenant, bodies);
    expect(scripts.mock.calls.length - sent).toBe(3);
    await expect.poll(() => seqs.length).toBe(251);
    const start = first[0] as number;
    expect(seqs).toEqual(Array.from({ length: 251 }, (_, i) => start + i));
    expect(lefts.slice(1)).toEqual(bodies.map((body) => body.budget.leftUsd));
    expect(await publish(1)).toEqual([start + 251]);
  });

  it('never goes backwards for a subscriber when Redis loses the counter', async () => {
    const before = await publish(3);
    const last = before.at(-1) as number;
    await redis.del(eventSequenceKey(tenant)); // what a Redis that lost its data leaves

    // A snapshot read after the loss is above everything handed out before: the client resyncs forward.
    const snapshot = await readSequence(redis, tenant);
    expect(snapshot).toBeGreaterThan(last);
    const after = await publish(2);
    expect(after).toEqual([snapshot + 1, snapshot + 2]);

    await redis.del(eventSequenceKey(tenant)); // lost again, this time before any snapshot
    const again = await publish(1);
    expect(again[0]).toBeGreaterThan(snapshot + 2);
    expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number))).toBe(true);
  });
});
