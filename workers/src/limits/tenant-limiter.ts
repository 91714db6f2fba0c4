import type { Logger, RunningSlots, TokenWindow } from '@ai-org/core';
import { TenantLimitError } from './tenant-limit-error';
import type { TenantLimitsCache } from './tenant-limits-cache';

export interface TenantLimiterDeps {
  readonly limits: Pick<TenantLimitsCache, 'get'>;
  readonly slots: RunningSlots;
  readonly tokens: TokenWindow;
  /** A running slot's lease; renewed every third of it while the job runs. */
  readonly leaseMs: number;
  /** The token window's length (60 s in production); each allows tokensPerMinute × its share of a minute. */
  readonly windowMs: number;
  readonly logger: Logger;
}

/** Tokens taken for one LLM call; `settle` gives back what it did not use. Never throws. */
export interface TokenGrant {
  settle(usedTokens: number): Promise<void>;
}

/**
 * A tenant's limits across every worker process: a leased running slot per job, and LLM tokens per
 * minute taken before each call. Refusals throw TenantLimitError (the job is put back, not failed).
 */
export class TenantLimiter {
  constructor(private readonly deps: TenantLimiterDeps) {}

  /**
   * Runs `work` holding one of the tenant's running slots (`member` names the job); renews the lease
   * while it runs and gives the slot back when it ends, however it ends. A process that dies holding
   * one loses it when the lease ends.
   */
  async runInSlot<T>(tenantId: string, member: string, work: () => Promise<T>): Promise<T> {
    const { slots, leaseMs, logger } = this.deps;
    const { maxRunningJobs } = await this.deps.limits.get(tenantId);
    const slot = await slots.acquire(tenantId, member, maxRunningJobs, leaseMs);
    if (slot.status === 'full') {
      throw new TenantLimitError('running_jobs', `waiting for a running slot (cap ${maxRunningJobs})`, 0);
    }
    const heartbeat = setInterval(
      () => {
        slots
          .renew(tenantId, member, leaseMs)
          .then(async (renewed) => {
            if (renewed) return;
            // The lease ran out (this process stalled longer than a lease): take a slot again if one is free.
            const again = await slots.acquire(tenantId, member, maxRunningJobs, leaseMs);
            if (again.status === 'full')
              logger.warn({ tenant: tenantId, member }, 'running slot lost while the job ran');
          })
          .catch((error: unknown) => logger.warn({ err: error, tenant: tenantId }, 'could not renew a running slot'));
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    try {
      return await work();
    } finally {
      clearInterval(heartbeat);
      await slots
        .release(tenantId, member)
        .catch((error: unknown) =>
          logger.warn({ err: error, tenant: tenantId }, 'could not release a running slot; its lease ends it'),
        );
    }
  }

  /**
   * Takes an LLM call's largest possible size (prompt + completion cap) from the tenant's current
   * window. A call larger than a whole window takes the whole window (it waits for an empty one).
   */
  async takeTokens(tenantId: string, tokens: number): Promise<TokenGrant> {
    const { tokensPerMinute } = await this.deps.limits.get(tenantId);
    const cap = Math.max(1, Math.floor((tokensPerMinute * this.deps.windowMs) / 60_000));
    const amount = Math.min(Math.max(0, Math.ceil(tokens)), cap);
    const taken = await this.deps.tokens.take(tenantId, amount, cap);
    if (taken.status === 'full') {
      throw new TenantLimitError(
        'tokens_per_minute',
        `waiting for the tokens-per-minute window (cap ${tokensPerMinute} tokens per minute)`,
        taken.retryInMs,
      );
    }
    return {
      settle: async (usedTokens) => {
        await this.deps.tokens
          .giveBack(tenantId, taken.window, amount - Math.min(amount, Math.max(0, Math.ceil(usedTokens))))
          .catch((error: unknown) =>
            this.deps.logger.warn({ err: error, tenant: tenantId }, 'could not give unused tokens back'),
          );
      },
    };
  }
}
