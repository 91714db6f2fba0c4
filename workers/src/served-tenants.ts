import type { TenantRepository } from '@ai-org/schema';

/** The tenants a workers or orchestrator process serves: `WORKER_TENANTS`, or every tenant in its Neo4j. */
export interface ServedTenants {
  /** The served tenants, read again on every call (the pool's refresh and the orchestrator's sweep). */
  list(): Promise<readonly string[]>;
  /**
   * Whether this process serves the tenant: listed in `WORKER_TENANTS`, or else in its own Neo4j —
   * not merely publishing on the same Redis. Never throws.
   */
  serves(tenantId: string): Promise<boolean>;
}

export interface ServedTenantsOptions {
  /** A tenant not among those last read is looked up at most once per this interval (one read for all). */
  readonly refreshMs: number;
  readonly now?: () => number;
}

/**
 * Without `WORKER_TENANTS`, `serves` answers from the tenants last read from Neo4j (every `list()`
 * reads them). A tenant not among them — new since, or unknown — may trigger one more read, at most one
 * per `refreshMs` however many tenants ask, so a stranger publishing on Redis costs a bounded number of
 * reads and is never remembered.
 */
export const servedTenants = (
  fixed: readonly string[] | undefined,
  repository: Pick<TenantRepository, 'listIds'>,
  { refreshMs, now = Date.now }: ServedTenantsOptions,
): ServedTenants => {
  if (fixed) {
    return { list: () => Promise.resolve(fixed), serves: (tenantId) => Promise.resolve(fixed.includes(tenantId)) };
  }
  let known = new Set<string>();
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<readonly string[]> | undefined; // one read at a time, shared by whoever asks
  const read = (): Promise<readonly string[]> => {
    if (!reading) {
      readAt = now();
      reading = repository
        .listIds()
        .then((ids) => {
          known = new Set(ids);
          return ids;
        })
        .finally(() => {
          reading = undefined;
        });
    }
    return reading;
  };
  return {
    list: read,
    async serves(tenantId) {
      if (!known.has(tenantId) && (reading || now() - readAt >= refreshMs)) {
        await read().catch(() => undefined); // unreadable: answer from what is known, retry next interval
      }
      return known.has(tenantId);
    },
  };
};
