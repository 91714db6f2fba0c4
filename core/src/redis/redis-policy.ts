import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { clusterAccessOptions, parseNode, type RedisConnection } from './redis-client';

/** BullMQ's requirement: a Redis that evicts keys under memory pressure silently loses jobs and budgets. */
export const requiredEvictionPolicy = 'noeviction';

export type RedisPolicyCheck =
  | { readonly status: 'ok'; readonly policy: string }
  /** The policy is not `noeviction` (a warning in development; refused in production). */
  | { readonly status: 'wrong'; readonly policy: string }
  /** Redis did not answer, or forbids CONFIG (managed services often do): checked by nobody. */
  | { readonly status: 'unchecked'; readonly reason: string };

/** The process refuses to start: production against a Redis that may evict keys. */
export class RedisPolicyError extends Error {
  constructor(readonly policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", but AI-Org needs "${requiredEvictionPolicy}": an evicting Redis ` +
        'silently drops queued jobs, reservations and sequence numbers. Set `maxmemory-policy noeviction` on it.',
    );
    this.name = 'RedisPolicyError';
  }
}

export interface RedisPolicyOptions {
  /** NODE_ENV=production: a wrong policy is refused instead of warned about. */
  readonly production: boolean;
  readonly logger: { warn(fields: object, message: string): void };
}

/** CONFIG GET answers `[name, value]` over RESP2 and a map over RESP3. */
const policyOf = (reply: unknown): string | undefined => {
  const value =
    reply instanceof Map
      ? reply.get('maxmemory-policy')
      : Array.isArray(reply)
        ? reply[1]
        : (reply as Record<string, unknown> | null)?.['maxmemory-policy'];
  return typeof value === 'string' ? value : value instanceof Buffer ? value.toString() : undefined;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One try, two seconds at most: a start-up check, not a connection to keep. */
const checkOptions = {
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  maxRetriesPerRequest: 0,
  connectionName: 'ai-org-policy-check',
} satisfies RedisOptions;

/** A short-lived client to one Redis, or to a cluster whose every master is then asked. */
const checkClient = (where: string | RedisConnection): Redis | Cluster => {
  if (typeof where === 'string' || where.clusterNodes === undefined) {
    const url = typeof where === 'string' ? where : where.url;
    return new Redis(url, { ...checkOptions, lazyConnect: true, retryStrategy: () => null });
  }
  return new Cluster(where.clusterNodes.map(parseNode), {
    lazyConnect: true,
    clusterRetryStrategy: () => null,
    ...clusterAccessOptions(where.clusterAuth, checkOptions),
  });
};

const checkOf = (policy: string | undefined): RedisPolicyCheck =>
  policy === undefined
    ? { status: 'unchecked', reason: 'CONFIG GET maxmemory-policy answered nothing' }
    : { status: policy === requiredEvictionPolicy ? 'ok' : 'wrong', policy };

/**
 * Reads `maxmemory-policy` over its own short-lived connection (so it works before the caller's
 * connects). On a cluster every master is asked (each has its own setting): a wrong one wins, then
 * one that could not be asked.
 */
export const readRedisPolicy = async (where: string | RedisConnection): Promise<RedisPolicyCheck> => {
  const client = checkClient(where);
  client.on('error', () => {});
  try {
    await client.connect();
    const servers = client instanceof Cluster ? client.nodes('master') : [client];
    const checks = await Promise.all(
      servers.map(async (server) => checkOf(policyOf(await server.config('GET', 'maxmemory-policy')))),
    );
    return (
      checks.find((check) => check.status === 'wrong') ??
      checks.find((check) => check.status === 'unchecked') ??
      checks[0] ?? { status: 'unchecked', reason: 'the cluster named no master' }
    );
  } catch (error) {
    return { status: 'unchecked', reason: messageOf(error) };
  } finally {
    client.disconnect();
  }
};

/**
 * Checks at start that the Redis behind `where` (a URL, or `config.redis`: one Redis or a cluster)
 * never evicts keys (`maxmemory-policy noeviction`).
 * A wrong policy is a loud warning in development and a RedisPolicyError in production; a Redis
 * that cannot be asked (down, or CONFIG forbidden) gets a warning saying it was not checked.
 */
export const checkRedisPolicy = async (
  where: string | RedisConnection,
  options: RedisPolicyOptions,
): Promise<RedisPolicyCheck> => {
  const check = await readRedisPolicy(where);
  if (check.status === 'wrong') {
    if (options.production) throw new RedisPolicyError(check.policy);
    options.logger.warn(
      { maxmemoryPolicy: check.policy, required: requiredEvictionPolicy },
      `Redis maxmemory-policy is "${check.policy}", not "${requiredEvictionPolicy}": under memory pressure Redis ` +
        'will drop queued jobs, reservations and sequence numbers. Production refuses to start like this.',
    );
  } else if (check.status === 'unchecked') {
    options.logger.warn(
      { reason: check.reason, required: requiredEvictionPolicy },
      `could not check that Redis maxmemory-policy is "${requiredEvictionPolicy}"; make sure it is`,
    );
  }
  return check;
};
