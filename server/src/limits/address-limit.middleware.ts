import { isAppError } from '@ai-org/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RateLimits } from './rate-limits';
import { httpHeadOf } from './retry-after';

export interface AddressLimitOptions {
  readonly limits: Pick<RateLimits, 'consumeAddress'>;
  /** Requests under this path answer in GraphQL's error shape, the rest in the REST routes' shape. */
  readonly graphqlPath: string;
  /** Paths never counted (the health route `/`, which load balancers poll). */
  readonly exempt?: readonly string[];
}

/**
 * The client address: the socket's remote address, or — only when Express' `trust proxy` is set
 * (TRUST_PROXY) — the address the trusted proxies report in X-Forwarded-For.
 */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * Counts every request per client address (`requestsPerAddressPerMinute`, in Redis) before any other
 * work; over the limit it answers 429 with `Retry-After` and the error shape of the route asked for.
 */
export const addressLimit =
  ({ limits, graphqlPath, exempt = ['/'] }: AddressLimitOptions): RequestHandler =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (exempt.includes(req.path)) {
      next();
      return;
    }
    limits.consumeAddress(clientAddress(req)).then(
      () => next(),
      (error: unknown) => {
        if (!isAppError(error) || error.code !== 'RATE_LIMITED') {
          next(error);
          return;
        }
        const { status, headers } = httpHeadOf(error);
        for (const [name, value] of headers) res.setHeader(name, value);
        const details = error.details ? { details: error.details } : {};
        res
          .status(status)
          .json(
            req.path.startsWith(graphqlPath)
              ? { errors: [{ message: error.message, extensions: { code: error.code, ...details } }] }
              : { error: { code: error.code, message: error.message, ...details } },
          );
      },
    );
  };
