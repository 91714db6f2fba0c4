import type { Logger } from '@ai-org/core';
import type { BillingService } from '@ai-org/domain';
import type { BillingRepository } from '@ai-org/schema';

interface Cached {
  readonly enabled: boolean;
  readonly thresholdMicroUsd: number;
  readonly readAt: number;
}

export interface AutoReloadWatchOptions {
  readonly billing: Pick<BillingService, 'reloadIfLow' | 'configured'>;
  readonly accounts: Pick<BillingRepository, 'account'>;
  readonly logger: Logger;
  /** How long a tenant's auto-reload settings are trusted before they are read again. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * Starts a tenant's automatic reload when a budget event shows less left than its threshold. Budget
 * events come with every reservation and charge, so the settings are cached briefly and a reload is
 * asked for only below the threshold, one at a time per tenant in this process (BillingService
 * holds the lock across processes).
 */
export class AutoReloadWatch {
  private readonly settings = new Map<string, Cached>();
  private readonly running = new Set<string>();

  constructor(private readonly options: AutoReloadWatchOptions) {}

  async onBudget(tenantId: string, leftMicroUsd: number): Promise<void> {
    if (!this.options.billing.configured || this.running.has(tenantId)) return;
    const settings = await this.settingsOf(tenantId);
    if (!settings.enabled || leftMicroUsd >= settings.thresholdMicroUsd) return;
    this.running.add(tenantId);
    try {
      const outcome = await this.options.billing.reloadIfLow(tenantId, leftMicroUsd);
      if (outcome.status === 'credited' || outcome.status === 'failed') {
        this.options.logger.info({ tenant: tenantId, ...outcome }, `automatic reload ${outcome.status}`);
        this.settings.delete(tenantId); // a failure turned it off; read again next time
      }
    } finally {
      this.running.delete(tenantId);
    }
  }

  private async settingsOf(tenantId: string): Promise<Cached> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.settings.get(tenantId);
    if (cached && now - cached.readAt < (this.options.cacheMs ?? 10_000)) return cached;
    const { autoReload } = await this.options.accounts.account(tenantId);
    const fresh = { enabled: autoReload.enabled, thresholdMicroUsd: autoReload.thresholdMicroUsd, readAt: now };
    this.settings.set(tenantId, fresh);
    return fresh;
  }
}
