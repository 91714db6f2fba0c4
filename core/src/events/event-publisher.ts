import type { Redis } from 'ioredis';
import { eventSequenceKey, type TenantEventBody, tenantEventChannel } from './tenant-events';

/**
 * Takes the tenant's next sequence number and publishes in one atomic script, so sequence order is
 * publish order and subscribers receive a tenant's events in sequence.
 * KEYS: [1] sequence counter. ARGV: [1] channel, [2] the event as JSON without `seq` (starting with '{').
 */
const publishScript = `
local seq = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2))
return seq
`;

/** What every state-changing process uses to announce a change. Best effort: failures are reported, not thrown. */
export interface TenantEventSink {
  publish(tenantId: string, body: TenantEventBody): Promise<void>;
}

export class EventPublisher implements TenantEventSink {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  async publish(tenantId: string, body: TenantEventBody): Promise<void> {
    const json = JSON.stringify({ tenantId, at: new Date().toISOString(), ...body });
    const send = () =>
      this.redis.eval(publishScript, 1, eventSequenceKey(tenantId), tenantEventChannel(tenantId), json);
    // One retry for a busy moment (a slow reply, a reconnect). Should the first attempt have gone out
    // after all, the state is announced twice under two sequence numbers: harmless, as payloads are
    // whole snapshots.
    await send()
      .catch(send)
      .catch((error: unknown) => this.onError(error));
  }

  /** The tenant's latest sequence number (0 before the first event). */
  async currentSequence(tenantId: string): Promise<number> {
    return Number((await this.redis.get(eventSequenceKey(tenantId))) ?? 0);
  }
}

/** For code paths that need no live events (scripts, some tests). */
export const noEvents: TenantEventSink = { publish: async () => {} };
