import type { RedisClient } from '../redis/redis-client';
import {
  creditScript,
  fundScript,
  initScript,
  monthlyCapScript,
  reserveManyScript,
  reserveScript,
  settleScript,
} from './budget.scripts';
import { balanceFields, budgetKeys, monthOf } from './budget-keys';

/** A tenant's budget in integer micro-USD. left + reserved + spent = funded. */
export interface Balance {
  readonly left: number;
  readonly reserved: number;
  readonly spent: number;
  readonly funded: number;
}

export type ReserveOutcome =
  | { readonly status: 'ok' | 'duplicate'; readonly amount: number }
  /** The job was settled already: it must not run (or be paid for) again. */
  | { readonly status: 'settled'; readonly amount: number }
  | { readonly status: 'insufficient' | 'below_minimum'; readonly left: number }
  /** The month has used `used` of its spend cap `cap`; this job would pass it. */
  | { readonly status: 'monthly_cap'; readonly used: number; readonly cap: number }
  /** The budget hash does not exist: unknown, never unlimited. Rebuild it from the ledger. */
  | { readonly status: 'unknown' };

export type SettleOutcome =
  | { readonly status: 'ok' | 'duplicate'; readonly charged: number }
  | { readonly status: 'unknown' };

export type FundOutcome =
  | { readonly status: 'ok'; readonly left: number }
  | { readonly status: 'insufficient' | 'unknown' };

export type CreditOutcome =
  /** `duplicate`: this credit id was applied before; nothing changed. */
  { readonly status: 'ok' | 'duplicate'; readonly left: number } | { readonly status: 'unknown' };

/** What a rebuilt budget starts from (see BudgetService.rebuild). */
export interface BudgetSnapshot extends Balance {
  readonly reservations: ReadonlyMap<string, number>;
  readonly settlements: ReadonlyMap<string, number>;
  /** Credits applied under an id (payments), so that a replay after the rebuild changes nothing. */
  readonly credits: ReadonlyMap<string, number>;
}

type Script = (keys: string[], args: (string | number)[]) => Promise<string[]>;

/**
 * The budget gate's Redis side: one atomic Lua script per operation, integer micro-USD, keys
 * hash-tagged by tenant. Amounts are exact; concurrency cannot overspend or double-charge.
 */
export class BudgetStore {
  private readonly run: (source: string) => Script;

  constructor(private readonly redis: RedisClient) {
    this.run = (source) => (keys, args) => this.redis.eval(source, keys.length, ...keys, ...args) as Promise<string[]>;
  }

  private keys(tenantId: string): string[] {
    const { balance, reservations, settled, credits, months } = budgetKeys(tenantId);
    return [balance, reservations, settled, credits, months];
  }

  /**
   * Holds `cost` for `jobId`, or says why not. Reserving the same job twice holds once. `month`
   * (YYYY-MM) is the month it counts towards for the monthly spend cap.
   */
  async reserve(
    tenantId: string,
    jobId: string,
    cost: number,
    minimumLeft: number,
    month = monthOf(new Date()),
  ): Promise<ReserveOutcome> {
    const [status, amount, cap] = await this.run(reserveScript)(this.keys(tenantId), [
      jobId,
      nonNegative(cost),
      integer(minimumLeft),
      month,
    ]);
    return reserveOutcome(status, amount, cap);
  }

  /**
   * Holds each job's cost in order, in one atomic step, and stops after the first job that is refused:
   * the outcomes are those of the jobs tried (every job, unless one was refused; then it is the last).
   * One `unknown` outcome when the budget is unknown.
   */
  async reserveMany(
    tenantId: string,
    jobs: readonly { readonly jobId: string; readonly cost: number }[],
    minimumLeft: number,
    month = monthOf(new Date()),
  ): Promise<ReserveOutcome[]> {
    if (jobs.length === 0) return [];
    const reply = await this.run(reserveManyScript)(this.keys(tenantId), [
      integer(minimumLeft),
      month,
      ...jobs.flatMap(({ jobId, cost }) => [jobId, nonNegative(cost)]),
    ]);
    if (reply[0] === 'unknown') return [{ status: 'unknown' }];
    const outcomes: ReserveOutcome[] = [];
    for (let i = 0; i + 2 < reply.length; i += 3) outcomes.push(reserveOutcome(reply[i], reply[i + 1], reply[i + 2]));
    return outcomes;
  }

  /** Charges `actualCost` for `jobId` once (towards `month`) and releases the rest of its reservation. */
  async settle(
    tenantId: string,
    jobId: string,
    actualCost: number,
    month = monthOf(new Date()),
  ): Promise<SettleOutcome> {
    const [status, charged] = await this.run(settleScript)(this.keys(tenantId), [
      jobId,
      nonNegative(actualCost),
      month,
    ]);
    return status === 'ok' || status === 'duplicate' ? { status, charged: Number(charged) } : { status: 'unknown' };
  }

  /** What each of `jobIds` was charged, for those settled here (a job not settled is absent). */
  async settledCharges(tenantId: string, jobIds: readonly string[]): Promise<Map<string, number>> {
    if (jobIds.length === 0) return new Map();
    const charges = await this.redis.hmget(budgetKeys(tenantId).settled, ...jobIds);
    return new Map(
      jobIds.flatMap((jobId, i) => {
        const charge = charges[i];
        return charge === null || charge === undefined ? [] : [[jobId, Number(charge)] as const];
      }),
    );
  }

  /** Gives the whole reservation of a job that will not run back; the job counts as settled at 0. */
  release(tenantId: string, jobId: string, month = monthOf(new Date())): Promise<SettleOutcome> {
    return this.settle(tenantId, jobId, 0, month);
  }

  /**
   * Sets (or, with null, removes) the monthly spend cap; `used`, when given, replaces the month's use
   * (a rebuild from the ledger). False when the budget is unknown.
   */
  async setMonthlyCap(
    tenantId: string,
    cap: number | null,
    month = monthOf(new Date()),
    used?: number,
  ): Promise<boolean> {
    const [status] = await this.run(monthlyCapScript)(this.keys(tenantId), [
      cap === null ? '-1' : nonNegative(cap),
      month,
      used === undefined ? '-1' : nonNegative(used),
    ]);
    return status === 'ok';
  }

  /** The month's use and the cap (null: none). */
  async monthly(
    tenantId: string,
    month = monthOf(new Date()),
  ): Promise<{ readonly used: number; readonly cap: number | null }> {
    const [cap, used] = await Promise.all([
      this.redis.hget(budgetKeys(tenantId).balance, balanceFields.monthlyCap),
      this.redis.hget(budgetKeys(tenantId).months, month),
    ]);
    return { used: Number(used ?? 0), cap: cap === null ? null : Number(cap) };
  }

  /**
   * Adds `delta` (negative to take money away, never below what is left). A RangeError when the
   * funded total would leave the safe-integer range (nothing changes).
   */
  async fund(tenantId: string, delta: number): Promise<FundOutcome> {
    const [status, left] = await this.run(fundScript)(this.keys(tenantId), [integer(delta)]);
    if (status === 'ok') return { status, left: Number(left) };
    if (status === 'out_of_range') throw new RangeError(`budget funding by ${delta} leaves the safe-integer range`);
    return { status: status === 'insufficient' ? 'insufficient' : 'unknown' };
  }

  /**
   * Adds `delta` (negative: takes it back) under `creditId`, once: the same id again changes nothing.
   * May leave `left` negative (a refund of money already spent). A RangeError when the totals would
   * leave the safe-integer range (nothing changes).
   */
  async credit(tenantId: string, creditId: string, delta: number): Promise<CreditOutcome> {
    const [status, left] = await this.run(creditScript)(this.keys(tenantId), [creditId, integer(delta)]);
    if (status === 'ok' || status === 'duplicate') return { status, left: Number(left) };
    if (status === 'out_of_range') throw new RangeError(`credit ${creditId} of ${delta} leaves the safe-integer range`);
    return { status: 'unknown' };
  }

  /** The balance, or null when the budget is unknown (never created, or lost with Redis). */
  async read(tenantId: string): Promise<Balance | null> {
    const values = await this.redis.hmget(
      budgetKeys(tenantId).balance,
      balanceFields.left,
      balanceFields.reserved,
      balanceFields.spent,
      balanceFields.funded,
    );
    if (values.every((value) => value === null)) return null;
    const [left, reserved, spent, funded] = values.map((value) => Number(value ?? 0)) as [
      number,
      number,
      number,
      number,
    ];
    return { left, reserved, spent, funded };
  }

  /**
   * Creates the budget from `snapshot` unless it exists, with the monthly cap and the month's use
   * when given; true when this call created it.
   */
  async init(
    tenantId: string,
    snapshot: BudgetSnapshot,
    monthly: { readonly cap: number | null; readonly month: string; readonly used: number } = {
      cap: null,
      month: monthOf(new Date()),
      used: 0,
    },
  ): Promise<boolean> {
    const pairs = (map: ReadonlyMap<string, number>) => [...map].flatMap(([job, amount]) => [job, integer(amount)]);
    const [status] = await this.run(initScript)(this.keys(tenantId), [
      integer(snapshot.left),
      integer(snapshot.reserved),
      integer(snapshot.spent),
      integer(snapshot.funded),
      monthly.cap === null ? '-1' : nonNegative(monthly.cap),
      monthly.month,
      nonNegative(monthly.used),
      snapshot.reservations.size,
      snapshot.credits.size,
      ...pairs(snapshot.reservations),
      ...pairs(snapshot.credits),
      ...pairs(snapshot.settlements),
    ]);
    return status === 'ok';
  }

  /** Removes the tenant's budget keys (tests; tenant off-boarding). */
  async delete(tenantId: string): Promise<void> {
    await this.redis.del(...this.keys(tenantId));
  }
}

const integer = (value: number): string => {
  if (!Number.isSafeInteger(value)) throw new RangeError(`budget amounts are integer micro-USD, got ${value}`);
  return String(value);
};

const nonNegative = (value: number): string => {
  if (value < 0) throw new RangeError(`budget costs are never negative, got ${value}`);
  return integer(value);
};

const reserveOutcome = (status: unknown, amount: unknown, cap: unknown): ReserveOutcome => {
  switch (status) {
    case 'monthly_cap':
      return { status, used: Number(amount), cap: Number(cap) };
    case 'ok':
    case 'duplicate':
    case 'settled':
      return { status, amount: Number(amount) };
    case 'insufficient':
    case 'below_minimum':
      return { status, left: Number(amount) };
    default:
      return { status: 'unknown' };
  }
};
