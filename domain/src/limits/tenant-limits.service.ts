import { badInput, type Config } from '@ai-org/core';
import type { TenantLimitsRepository } from '@ai-org/schema';

/** A tenant's limits as they apply: its own values, else the platform defaults, never above the maxima. */
export interface TenantLimits {
  readonly maxRunningJobs: number;
  readonly tokensPerMinute: number;
}

export interface TenantLimitsView extends TenantLimits {
  /** The most an owner may set (TENANT_MAX_RUNNING_JOBS_LIMIT, TENANT_TOKENS_PER_MINUTE_LIMIT). */
  readonly maxima: TenantLimits;
}

export interface TenantLimitsChange {
  readonly maxRunningJobs?: number | null;
  readonly tokensPerMinute?: number | null;
}

export type TenantLimitsPolicy = Pick<Config['tenantLimits'], 'defaults' | 'maxima'>;

/** Reads and sets a tenant's own limits: jobs running at once and LLM tokens per minute (docs/limits.md). */
export class TenantLimitsService {
  constructor(
    private readonly repository: TenantLimitsRepository,
    private readonly policy: TenantLimitsPolicy,
  ) {}

  async read(tenantId: string): Promise<TenantLimitsView> {
    return this.view(await this.repository.read(tenantId));
  }

  /**
   * Sets the values given (null or absent: unchanged). BAD_USER_INPUT, nothing written, for a value
   * that is not a whole number from 1 to the platform's maximum.
   */
  async set(tenantId: string, change: TenantLimitsChange): Promise<TenantLimitsView> {
    const maxRunningJobs = this.checked('maxRunningJobs', change.maxRunningJobs);
    const tokensPerMinute = this.checked('tokensPerMinute', change.tokensPerMinute);
    return this.view(
      await this.repository.write(tenantId, {
        ...(maxRunningJobs !== undefined && { maxRunningJobs }),
        ...(tokensPerMinute !== undefined && { tokensPerMinute }),
      }),
    );
  }

  private checked(field: keyof TenantLimits, value: number | null | undefined): number | undefined {
    if (value === null || value === undefined) return undefined;
    const max = this.policy.maxima[field];
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      throw badInput(`${field} must be a whole number from 1 to ${max} (the platform's maximum)`, {
        problems: [{ path: field, message: `must be from 1 to ${max}` }],
      });
    }
    return value;
  }

  private view(stored: { maxRunningJobs: number | null; tokensPerMinute: number | null }): TenantLimitsView {
    const { defaults, maxima } = this.policy;
    return {
      maxRunningJobs: Math.min(stored.maxRunningJobs ?? defaults.maxRunningJobs, maxima.maxRunningJobs),
      tokensPerMinute: Math.min(stored.tokensPerMinute ?? defaults.tokensPerMinute, maxima.tokensPerMinute),
      maxima,
    };
  }
}
