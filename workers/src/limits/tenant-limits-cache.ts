import type { TenantLimits } from '@ai-org/domain';

export interface TenantLimitsCacheOptions {
  /** Reads a tenant's limits as they apply (TenantLimitsService.read). */
  readonly read: (tenantId: string) => Promise<TenantLimits>;
  /** A value is read again after this long; 0 reads every time. */
  readonly ttlMs: number;
  readonly now?: () => number;
}

/**
 * A tenant's limits as the workers use them: read at most once per `ttlMs` per tenant, so a change by
 * its owner applies within that time. When a read fails, the last value read stands in; with none,
 * the error is thrown (the job waits the outage out).
 */
export class TenantLimitsCache {
  private readonly entries = new Map<string, { limits: TenantLimits; readAt: number }>();

  constructor(private readonly options: TenantLimitsCacheOptions) {}

  async get(tenantId: string): Promise<TenantLimits> {
    const now = (this.options.now ?? Date.now)();
    const entry = this.entries.get(tenantId);
    if (entry && now - entry.readAt < this.options.ttlMs) return entry.limits;
    try {
      const limits = await this.options.read(tenantId);
      this.entries.set(tenantId, { limits, readAt: now });
      return limits;
    } catch (error) {
      if (entry) return entry.limits;
      throw error;
    }
  }
}
