import type { RedisClient } from '../redis/redis-client';
import { eventSequenceKey, type TenantEventBody, tenantEventChannel } from './tenant-events';

/** Lua: starts a missing counter (KEYS[1]) at Redis's clock in microseconds, as an integer string. */
const startCounter = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local now = redis.call('TIME')
  redis.call('SET', KEYS[1], now[1] .. string.format('%06d', tonumber(now[2])))
end`;

/**
 * Takes the tenant's next sequence number and publishes in one atomic script, so sequence order is
 * publish order and subscribers receive a tenant's events in sequence.
 * A missing counter (a new tenant, or a Redis that lost its data) starts at Redis's clock in
 * microseconds, above any number the tenant had before, so a subscriber's sequence never goes
 * backwards: it sees a gap and resyncs. Numbers are written as integer strings, never through Lua's
 * number formatting (which keeps 14 digits).
 * KEYS: [1] sequence counter. ARGV: [1] channel, [2] the event as JSON without `seq` (starting with '{').
 */
const publishScript = `
${startCounter}
local seq = string.format('%.0f', redis.call('INCR', KEYS[1]))
redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2))
return seq
`;

/**
 * `publishScript` for several events of one tenant: consecutive sequence numbers, published in order in
 * one atomic step. ARGV: [1] channel, [2..] the events as JSON without `seq`. Returns the last number.
 */
const publishManyScript = `
${startCounter}
local seq
for i = 2, #ARGV do
  seq = string.format('%.0f', redis.call('INCR', KEYS[1]))
  redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[i], 2))
end
return seq
`;

/** Events published by one `publishMany` script at most: each script blocks Redis while it runs. */
const publishManyChunk = 100;

/** The tenant's current sequence number, starting the counter (at the clock) when it is missing. */
const currentScript = `
${startCounter}
return redis.call('GET', KEYS[1])
`;

/**
 * The tenant's current sequence number, for `liveSnapshot`: never below a number it handed out
 * before, even when Redis lost the counter (which this then starts at the clock, as a publish would).
 */
export const readSequence = async (redis: RedisClient, tenantId: string): Promise<number> =>
  Number(await redis.eval(currentScript, 1, eventSequenceKey(tenantId)));

/** What every state-changing process uses to announce a change. Best effort: failures are reported, not thrown. */
export interface TenantEventSink {
  publish(tenantId: string, body: TenantEventBody): Promise<void>;
  /**
   * Publishes several events in order, as `publish` would one after the other, but in one round trip
   * per hundred: a 300-task plan is announced in three Redis calls, not 300. Optional for sinks.
   */
  publishMany?(tenantId: string, bodies: readonly TenantEventBody[]): Promise<void>;
}

export class EventPublisher implements TenantEventSink {
  constructor(
    private readonly redis: RedisClient,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  async publish(tenantId: string, body: TenantEventBody): Promise<void> {
    const json = JSON.stringify({ tenantId, at: new Date().toISOString(), ...body });
    await this.sendWithRetry(() =>
      this.redis.eval(publishScript, 1, eventSequenceKey(tenantId), tenantEventChannel(tenantId), json),
    );
  }

  async publishMany(tenantId: string, bodies: readonly TenantEventBody[]): Promise<void> {
    const at = new Date().toISOString();
    for (let start = 0; start < bodies.length; start += publishManyChunk) {
      const json = bodies
        .slice(start, start + publishManyChunk)
        .map((body) => JSON.stringify({ tenantId, at, ...body }));
      await this.sendWithRetry(() =>
        this.redis.eval(publishManyScript, 1, eventSequenceKey(tenantId), tenantEventChannel(tenantId), ...json),
      );
    }
  }

  /**
   * One retry for a busy moment (a slow reply, a reconnect). Should the first attempt have gone out
   * after all, the state is announced twice under other sequence numbers: harmless, as payloads are
   * whole snapshots. A second failure is reported, never thrown.
   */
  private async sendWithRetry(send: () => Promise<unknown>): Promise<void> {
    await send()
      .catch(send)
      .catch((error: unknown) => this.onError(error));
  }

  /** The tenant's latest sequence number (see `readSequence`). */
  currentSequence(tenantId: string): Promise<number> {
    return readSequence(this.redis, tenantId);
  }
}

/** For code paths that need no live events (scripts, some tests). */
export const noEvents: TenantEventSink = { publish: async () => {} };
