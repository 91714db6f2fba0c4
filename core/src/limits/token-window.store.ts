import type { RedisClient } from '../redis/redis-client';
import { giveBackTokensScript, takeTokensScript } from './limit.scripts';
import { limitKeys } from './limit-keys';

export type TokenTake =
  /** Taken from window number `window`: give the unused part back to it (`giveBack`). */
  | { readonly status: 'ok'; readonly window: string; readonly used: number }
  /** The window cannot cover it; the next one starts in `retryInMs`. */
  | { readonly status: 'full'; readonly window: string; readonly used: number; readonly retryInMs: number };

/**
 * A tenant's LLM tokens per fixed window of `windowMs` (a minute in production), across every worker
 * process: a call takes its largest possible size before it starts and gives back what it did not use
 * after. Windows follow Redis's clock.
 */
export class TokenWindow {
  constructor(
    private readonly redis: RedisClient,
    private readonly windowMs: number,
  ) {}

  /** Takes `tokens` when the current window has room for them under `cap`, else says when the next one starts. */
  async take(tenantId: string, tokens: number, cap: number): Promise<TokenTake> {
    const [status, window = '', used, retryInMs] = (await this.redis.eval(
      takeTokensScript,
      1,
      limitKeys(tenantId).tokens,
      nonNegative(tokens),
      nonNegative(cap),
      nonNegative(this.windowMs),
    )) as string[];
    return status === 'ok'
      ? { status: 'ok', window, used: Number(used) }
      : { status: 'full', window, used: Number(used), retryInMs: Number(retryInMs) };
  }

  /** Returns unused tokens to the window they came from (nothing once a later window has started). */
  async giveBack(tenantId: string, window: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.redis.eval(giveBackTokensScript, 1, limitKeys(tenantId).tokens, window, nonNegative(tokens));
  }
}

const nonNegative = (n: number): number => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`expected a non-negative integer, got ${n}`);
  return n;
};
