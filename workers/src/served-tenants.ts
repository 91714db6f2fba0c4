import type { TenantRepository } from '@ai-org/schema';

/** The tenants a workers or orchestrator process serves: `WORKER_TENANTS`, or every tenant in Neo4j. */
export interface ServedTenants {
  list(): Promise<readonly string[]>;
  serves(tenantId: string): boolean;
}

export const servedTenants = (fixed: readonly string[] | undefined, repository: TenantRepository): ServedTenants => ({
  list: () => (fixed ? Promise.resolve(fixed) : repository.listIds()),
  serves: (tenantId) => !fixed || fixed.includes(tenantId),
});
