import { BudgetStore, type RedisClient, toUsd } from '@ai-org/core';
import type { Driver } from 'neo4j-driver';

export type ServiceState = 'up' | 'down';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly neo4j: ServiceState;
  readonly redis: ServiceState;
  /** USD left for the tenant; null while its budget does not exist (or Redis is down). */
  readonly budgetLeftUsd: number | null;
}

const probeTimeoutMs = 2_000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

const stateOf = async (probe: () => Promise<unknown>): Promise<ServiceState> => {
  try {
    await withTimeout(probe(), probeTimeoutMs);
    return 'up';
  } catch {
    return 'down';
  }
};

/** Answers "are Neo4j and Redis reachable, and how much budget is left", within two seconds. */
export class HealthService {
  private readonly budget: BudgetStore;

  constructor(
    private readonly driver: Driver,
    private readonly redis: RedisClient,
    private readonly database?: string,
  ) {
    this.budget = new BudgetStore(redis);
  }

  async check(tenantId: string | undefined): Promise<Health> {
    const [neo4j, redis] = await Promise.all([
      stateOf(() => this.driver.executeQuery('RETURN 1', {}, { database: this.database })),
      stateOf(() => this.redis.ping()),
    ]);
    const budgetLeftUsd = redis === 'up' && tenantId ? await this.budgetLeft(tenantId) : null;
    return { status: neo4j === 'up' && redis === 'up' ? 'ok' : 'degraded', neo4j, redis, budgetLeftUsd };
  }

  private async budgetLeft(tenantId: string): Promise<number | null> {
    try {
      const balance = await withTimeout(this.budget.read(tenantId), probeTimeoutMs);
      return balance === null ? null : toUsd(balance.left);
    } catch {
      return null;
    }
  }
}
