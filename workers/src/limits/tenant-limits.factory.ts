import { type Config, type Logger, type RedisClient, RunningSlots, TokenWindow } from '@ai-org/core';
import type { Domain } from '@ai-org/domain';
import type { WorkerMetrics } from '../worker-metrics';
import { LimitHold } from './limit-hold';
import { TenantLimiter } from './tenant-limiter';
import { TenantLimitsCache } from './tenant-limits-cache';

/** The workers' per-tenant limits, wired from the config: the limiter (Redis) and the hold (task, event, metric). */
export const buildTenantLimits = (
  config: Config,
  deps: { redis: RedisClient; domain: Domain; metrics: WorkerMetrics; logger: Logger },
): { limiter: TenantLimiter; hold: LimitHold } => {
  const { tenantLimits } = config;
  const limits = new TenantLimitsCache({
    read: (tenantId) => deps.domain.limits.read(tenantId),
    ttlMs: tenantLimits.cacheMs,
  });
  return {
    limiter: new TenantLimiter({
      limits,
      slots: new RunningSlots(deps.redis),
      tokens: new TokenWindow(deps.redis, tenantLimits.tokenWindowMs),
      leaseMs: tenantLimits.slotLeaseMs,
      windowMs: tenantLimits.tokenWindowMs,
      logger: deps.logger,
    }),
    hold: new LimitHold({
      holds: deps.domain.repositories.taskHolds,
      announcer: deps.domain.announcer,
      metrics: deps.metrics,
      logger: deps.logger,
      slotRetryMs: tenantLimits.slotRetryMs,
    }),
  };
};
