import type { RedisClient } from '../redis/redis-client';
import { acquireSlotScript, renewSlotScript } from './limit.scripts';
import { limitKeys } from './limit-keys';

export type SlotOutcome =
  | { readonly status: 'ok'; readonly running: number }
  /** Every slot is held; the earliest lease ends in `retryInMs` unless its holder renews it. */
  | { readonly status: 'full'; readonly running: number; readonly retryInMs: number };

/**
 * A tenant's running jobs across every worker process: a semaphore of leased slots in one sorted set
 * (member = job, score = lease expiry on Redis's clock). A holder renews its lease while it runs and
 * releases it when done; a holder that died (kill -9) loses its slot when its lease ends.
 */
export class RunningSlots {
  constructor(private readonly redis: RedisClient) {}

  /** Takes a slot for `member` when fewer than `cap` are held (or renews the one it holds). */
  async acquire(tenantId: string, member: string, cap: number, leaseMs: number): Promise<SlotOutcome> {
    const [status, running, retryInMs] = (await this.redis.eval(
      acquireSlotScript,
      1,
      limitKeys(tenantId).running,
      member,
      positive(cap),
      positive(leaseMs),
    )) as string[];
    return status === 'ok'
      ? { status: 'ok', running: Number(running) }
      : { status: 'full', running: Number(running), retryInMs: Number(retryInMs) };
  }

  /** Extends the lease; false when it is no longer held (it expired and may have been taken). */
  async renew(tenantId: string, member: string, leaseMs: number): Promise<boolean> {
    const renewed = await this.redis.eval(renewSlotScript, 1, limitKeys(tenantId).running, member, positive(leaseMs));
    return Number(renewed) === 1;
  }

  async release(tenantId: string, member: string): Promise<void> {
    await this.redis.zrem(limitKeys(tenantId).running, member);
  }

  /** Slots held now, expired leases not counted. */
  async running(tenantId: string): Promise<number> {
    const time = await this.redis.time();
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    return this.redis.zcount(limitKeys(tenantId).running, `(${now}`, '+inf');
  }
}

const positive = (n: number): number => {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`expected a positive integer, got ${n}`);
  return n;
};
