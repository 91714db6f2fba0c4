/**
 * What the pipeline (B2) and budget (B5) benchmarks share: a config for their own `bench-…` tenants,
 * the domain wired as the API and the orchestrator wire it (with the dispatch observer), a poll with a
 * deadline, and the check that the ledger in Neo4j tells the same budget as Redis.
 */
import { randomBytes } from 'node:crypto';
import { BudgetStore, budgetKeys, type Config, createLogger, createRedisClient, loadConfig } from '@ai-org/core';
import { createDomain, type DispatchObserver, type Domain } from '@ai-org/domain';
import { createNeo4jDriver } from '@ai-org/schema';
import { deleteTenantData } from '@ai-org/testing';
import type { Check } from './report';

export const benchTenant = (): string => `bench-${randomBytes(4).toString('hex')}`;

/** A positive integer from the environment (sizes are overridable for a quick run), else `fallback`. */
export const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
};

/** The platform's config for the bench's tenants: quiet, no fixed ports, no minimum budget, offline LLM. */
export const benchConfig = (tenants: readonly string[], overrides: Record<string, string> = {}): Config =>
  loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    ORCHESTRATOR_METRICS_PORT: '0',
    DEFAULT_TENANT: '',
    OPENAI_API_KEY: '',
    BUDGET_MIN_LEFT_USD: '0',
    WORKER_TENANTS: tenants.join(','),
    ...overrides,
  });

export interface DispatchStack {
  readonly config: Config;
  readonly driver: ReturnType<typeof createNeo4jDriver>;
  /** The producer connection the domain uses (budget scripts, job adds, events). */
  readonly redis: ReturnType<typeof createRedisClient>;
  readonly domain: Domain;
  readonly store: BudgetStore;
  /** Seconds each dispatch took, by outcome, as the dispatch-duration histogram sees them. */
  readonly dispatchSeconds: Record<Parameters<DispatchObserver>[0], number[]>;
  /** Closes the domain and the connections, after deleting the tenants' data. */
  close(tenants: readonly string[]): Promise<void>;
}

export const openDispatchStack = async (config: Config): Promise<DispatchStack> => {
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'producer', 'ai-org-bench');
  await redis.connect();
  const dispatchSeconds: DispatchStack['dispatchSeconds'] = { dispatched: [], refused: [], failed: [] };
  const domain = createDomain(
    config,
    { driver, redis, logger: createLogger(config.log, 'bench') },
    { onDispatch: (outcome, seconds) => dispatchSeconds[outcome].push(seconds) },
  );
  return {
    config,
    driver,
    redis,
    domain,
    store: new BudgetStore(redis),
    dispatchSeconds,
    async close(tenants) {
      await domain.close();
      await deleteTenantData(tenants, { bolt: driver, redisUrl: config.redis.url, database: config.neo4j.database });
      await driver.close();
      redis.disconnect();
    },
  };
};

/** Polls `done` every `intervalMs` until it holds; throws `what` after `timeoutMs`. */
export const until = async (
  what: string,
  done: () => Promise<boolean>,
  { timeoutMs = 300_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

const numbers = (hash: Record<string, string>): Map<string, number> =>
  new Map(Object.entries(hash).map(([job, amount]) => [job, Number(amount)]));

const sameEntries = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean =>
  a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);

/**
 * The ledger (Neo4j) and Redis tell the same budget: funded, reserved, spent and left, every open
 * reservation and every charge, job by job; and left + reserved + spent = funded.
 */
export const ledgerMatchesRedis = async (stack: DispatchStack, tenant: string): Promise<Check> => {
  const keys = budgetKeys(tenant);
  const [ledger, balance, reservations, settled] = await Promise.all([
    stack.domain.repositories.ledger.snapshot(tenant),
    stack.store.read(tenant),
    stack.redis.hgetall(keys.reservations),
    stack.redis.hgetall(keys.settled),
  ]);
  const name = 'ledger = Redis';
  if (!balance) return { name, ok: false, detail: 'no budget in Redis' };
  const totals = (['funded', 'reserved', 'spent', 'left'] as const).filter((key) => ledger[key] !== balance[key]);
  const balanced = balance.left + balance.reserved + balance.spent === balance.funded;
  const sameReservations = sameEntries(ledger.reservations, numbers(reservations));
  const sameCharges = sameEntries(ledger.settlements, numbers(settled));
  const ok = totals.length === 0 && balanced && sameReservations && sameCharges;
  return {
    name,
    ok,
    detail: ok
      ? `funded ${balance.funded}, spent ${balance.spent}, reserved ${balance.reserved} µUSD in both; ` +
        `${ledger.settlements.size} charges and ${ledger.reservations.size} open reservations match job by job`
      : `differs: totals [${totals.join(', ')}] (ledger ${JSON.stringify({ ...ledger, reservations: ledger.reservations.size, settlements: ledger.settlements.size, credits: ledger.credits.size })}, ` +
        `Redis ${JSON.stringify(balance)}), left+reserved+spent=funded ${balanced}, ` +
        `reservations match ${sameReservations}, charges match ${sameCharges}`,
  };
};
