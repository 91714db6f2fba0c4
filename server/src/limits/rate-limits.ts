import { AppError, type Config, type RedisClient } from '@ai-org/core';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';

/** Every rate-limit key starts with this; the rest is `<limit>:{<subject>}`. */
export const rateLimitKeyPrefix = 'ai-org:rate';
/** Every limit counts over a fixed window of one minute from the subject's first request. */
const windowSeconds = 60;
/** A Redis slower than this counts as away for that one request (a healthy one answers in about 1 ms). */
const redisTimeoutMs = 500;

export interface RateLimits {
  /** One request from a client address (`requestsPerAddressPerMinute`). */
  consumeAddress(address: string): Promise<void>;
  /** One request of a caller: an API key id, a token subject or a development tenant (`requestsPerMinute`). */
  consumeCaller(callerKey: string): Promise<void>;
  /** Records a failed sign-in (bad, unknown, expired token) from an address; never throws RATE_LIMITED itself. */
  authFailed(address: string): Promise<void>;
  /** Refuses with RATE_LIMITED an address that failed `authFailuresPerMinute` sign-ins in its current window. */
  assertMayAuthenticate(address: string): Promise<void>;
}

/** The error every refusal throws: `details.retryAfterSeconds` becomes the `Retry-After` header. */
export const rateLimited = (msBeforeNext: number): AppError => {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many requests, retry in ${retryAfterSeconds} s`, {
    details: { retryAfterSeconds },
  });
};

/**
 * The counter lives in Redis so every API instance shares it. When Redis is away (not connected, or
 * slower than `redisTimeoutMs`), an in-memory limiter with the same points takes over — the
 * decision for a Redis outage is **neither fail-open nor fail-closed**: failing closed would turn a
 * Redis outage into an outage of every read that only needs Neo4j, and failing open would drop the
 * abuse protection exactly when the system is already degraded. The price: while Redis is away each
 * instance counts on its own (N instances allow up to N times the limit), and the in-memory counts
 * are forgotten once Redis answers again.
 */
const sharedLimiter = (redis: RedisClient, name: string, points: number): RLWrapperTimeouts => {
  const keyPrefix = `${rateLimitKeyPrefix}:${name}`;
  const insuranceLimiter = new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds });
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter,
  });
  return new RLWrapperTimeouts({ limiter, insuranceLimiter, timeoutMs: redisTimeoutMs });
};

/**
 * The subject as a hash tag: each operation touches one key, and all of one subject's keys share a
 * Redis Cluster slot. Braces inside the subject would move the tag, so they are replaced.
 */
export const subjectKey = (subject: string): string => `{${subject.replace(/[{}]/g, '_')}}`;

const consume = async (limiter: RLWrapperTimeouts, subject: string): Promise<void> => {
  try {
    await limiter.consume(subjectKey(subject));
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw rateLimited(refusal.msBeforeNext);
    throw refusal;
  }
};

export const createRateLimits = (redis: RedisClient, limits: Config['limits']): RateLimits => {
  const address = sharedLimiter(redis, 'address', limits.requestsPerAddressPerMinute);
  const caller = sharedLimiter(redis, 'caller', limits.requestsPerMinute);
  const authFailures = sharedLimiter(redis, 'auth-failures', limits.authFailuresPerMinute);
  return {
    consumeAddress: (subject) => consume(address, subject),
    consumeCaller: (subject) => consume(caller, subject),
    async authFailed(subject) {
      // penalty() counts without refusing: the caller is already answered UNAUTHENTICATED.
      await authFailures.penalty(subjectKey(subject));
    },
    async assertMayAuthenticate(subject) {
      const state = await authFailures.get(subjectKey(subject));
      if (state && state.consumedPoints >= limits.authFailuresPerMinute) throw rateLimited(state.msBeforeNext);
    },
  };
};
