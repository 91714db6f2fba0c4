import {
  AppError,
  type Balance,
  type BudgetStore,
  costOfTokens,
  monthOf,
  noEvents,
  type ReserveOutcome,
  type SettleOutcome,
  type TenantEventSink,
  toUsd,
} from '@ai-org/core';
import type { ChargeDetails, LedgerRepository } from '@ai-org/schema';

export interface BudgetPolicy {
  readonly microUsdPer1kTokens: number;
  readonly minimumLeftMicroUsd: number;
}

/** Where each tenant's monthly spend cap is kept durably (Redis holds the copy the gate uses). */
export interface SpendCaps {
  monthlyCapOf(tenantId: string): Promise<number | null>;
}

export interface BudgetView extends Balance {
  readonly microUsdPer1kTokens: number;
  readonly minimumLeftMicroUsd: number;
}

/**
 * The budget gate: Redis (BudgetStore) decides atomically, Neo4j (LedgerRepository) remembers. A
 * budget missing from Redis is rebuilt from the ledger before anything is decided on it.
 */
export class BudgetService {
  constructor(
    private readonly store: BudgetStore,
    private readonly ledger: LedgerRepository,
    readonly policy: BudgetPolicy,
    /** Announces every change of the balance as a live `budget` event. */
    private readonly events: TenantEventSink = noEvents,
    private readonly caps: SpendCaps = { monthlyCapOf: async () => null },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private month(): string {
    return monthOf(this.now());
  }

  /**
   * Publishes the balance as it is now (and the alert thresholds this change crossed, if any);
   * `credited` when money was added, which wakes the orchestrator for tasks waiting for budget.
   */
  async announce(tenantId: string, thresholdsCrossed: readonly number[] = [], credited = false): Promise<void> {
    if (this.events === noEvents) return;
    const balance = await this.store.read(tenantId);
    if (!balance) return;
    await this.events.publish(tenantId, {
      kind: 'budget',
      budget: {
        leftUsd: toUsd(balance.left),
        reservedUsd: toUsd(balance.reserved),
        spentUsd: toUsd(balance.spent),
        fundedUsd: toUsd(balance.funded),
        thresholdsCrossed,
        ...(credited ? { credited } : {}),
      },
    });
  }

  costOfTokens(tokens: number): number {
    return costOfTokens(tokens, this.policy.microUsdPer1kTokens);
  }

  /** The budget; rebuilt from the ledger when Redis lost it (a tenant never funded reads as zero). */
  async read(tenantId: string): Promise<BudgetView> {
    const balance = (await this.store.read(tenantId)) ?? (await this.rebuild(tenantId));
    return { ...balance, ...this.policy };
  }

  /** Holds `cost` micro-USD for `jobId`; what happened is returned, never thrown. */
  async reserve(tenantId: string, jobId: string, cost: number): Promise<ReserveOutcome> {
    const outcome = await this.withKnownBudget(tenantId, () =>
      this.store.reserve(tenantId, jobId, cost, this.policy.minimumLeftMicroUsd, this.month()),
    );
    if (outcome.status === 'ok' || outcome.status === 'duplicate') {
      try {
        await this.ledger.record(tenantId, { kind: 'reserve', jobId, amountMicroUsd: outcome.amount });
      } catch (error) {
        // Not durable, so not held: give it back (the job id is spent; a new dispatch gets a new one).
        await this.store.release(tenantId, jobId, this.month()).catch(() => undefined);
        throw error;
      }
      if (outcome.status === 'ok') await this.announce(tenantId);
    }
    return outcome;
  }

  /**
   * Reserves for jobs in order, in one Redis step that stops at the first refusal (see
   * `BudgetStore.reserveMany`), then makes them durable in the ledger (the entries share a group
   * commit). If a ledger write fails, every reservation of this call is given back and the error is
   * rethrown: like `reserve`, nothing stays held that the ledger does not know.
   */
  async reserveMany(
    tenantId: string,
    jobs: readonly { readonly jobId: string; readonly cost: number }[],
  ): Promise<ReserveOutcome[]> {
    const { outcomes } = await this.withKnownBudget(tenantId, async () => {
      const outcomes = await this.store.reserveMany(tenantId, jobs, this.policy.minimumLeftMicroUsd, this.month());
      return { status: outcomes[0]?.status === 'unknown' ? 'unknown' : 'known', outcomes };
    });
    const held = outcomes.flatMap((outcome, index) =>
      outcome.status === 'ok' || outcome.status === 'duplicate'
        ? [{ jobId: (jobs[index] as { jobId: string }).jobId, amount: outcome.amount }]
        : [],
    );
    const recorded = await Promise.allSettled(
      held.map(({ jobId, amount }) => this.ledger.record(tenantId, { kind: 'reserve', jobId, amountMicroUsd: amount })),
    );
    const failure = recorded.find((result) => result.status === 'rejected');
    if (failure) {
      // Entries that did commit are settled at 0 in both places; the others were never durable.
      const month = this.month();
      await Promise.all(
        held.map(({ jobId }, index) =>
          (recorded[index]?.status === 'fulfilled'
            ? this.release(tenantId, jobId)
            : this.store.release(tenantId, jobId, month)
          ).catch(() => undefined),
        ),
      );
      throw failure.reason;
    }
    if (outcomes.some((outcome) => outcome.status === 'ok')) await this.announce(tenantId);
    return outcomes;
  }

  /**
   * Charges a job once (a second call changes nothing) and releases the rest of its reservation.
   * `details`: what the charge was for (tokens used, task, goal, role), kept with it for usage statements.
   * `beforeLedger` runs once Redis has settled and before the ledger entry is written: what runs there
   * sees the money free, and a crash before the entry leaves the reservation open in the ledger, so
   * whoever finishes the settlement (a redelivery, the reservation reconciler) finds it.
   */
  async settle(
    tenantId: string,
    jobId: string,
    actualCost: number,
    details?: ChargeDetails,
    beforeLedger?: () => Promise<void>,
  ): Promise<number> {
    const outcome: SettleOutcome = await this.withKnownBudget(tenantId, () =>
      this.store.settle(tenantId, jobId, actualCost, this.month()),
    );
    const charged = outcome.status === 'unknown' ? 0 : outcome.charged;
    await beforeLedger?.();
    await this.ledger.record(tenantId, { kind: 'settle', jobId, amountMicroUsd: charged, details });
    if (outcome.status === 'ok') await this.announce(tenantId);
    return charged;
  }

  /**
   * Reservations the ledger has held for more than `olderThanMs` (and less than `withinMs`) without a
   * settlement (oldest first, at most `limit`), each with what Redis charged for it when Redis settled
   * it already: a settlement whose process died before writing the ledger (see ReservationReconciler).
   */
  async openReservations(
    tenantId: string,
    window: { readonly olderThanMs: number; readonly withinMs: number },
    limit: number,
  ): Promise<{ readonly jobId: string; readonly amountMicroUsd: number; readonly chargedInRedis: number | null }[]> {
    const open = await this.ledger.openReservations(tenantId, window, limit);
    const charged = await this.store.settledCharges(
      tenantId,
      open.map((entry) => entry.jobId),
    );
    return open.map((entry) => ({ ...entry, chargedInRedis: charged.get(entry.jobId) ?? null }));
  }

  release(tenantId: string, jobId: string): Promise<number> {
    return this.settle(tenantId, jobId, 0);
  }

  async topUp(tenantId: string, amountMicroUsd: number): Promise<BudgetView> {
    if (amountMicroUsd <= 0) throw new AppError('BAD_USER_INPUT', 'A top-up must be positive');
    return this.fund(tenantId, amountMicroUsd);
  }

  /**
   * Adds `amountMicroUsd` (negative: takes it back, e.g. a refund) under `creditId`, exactly once:
   * the ledger entry (keyed by the id) is written first, then Redis applies the id once. A crash
   * between the two is finished by the next delivery of the same credit (Stripe delivers an event
   * until it is acknowledged); a Redis that lost the budget is rebuilt from the ledger with the id
   * already applied. `replayed` when both sides had it already.
   */
  async credit(
    tenantId: string,
    creditId: string,
    amountMicroUsd: number,
    source?: string,
  ): Promise<{ readonly status: 'credited' | 'completed' | 'replayed'; readonly left: number }> {
    if (!Number.isSafeInteger(amountMicroUsd) || amountMicroUsd === 0) {
      throw new AppError('BAD_USER_INPUT', 'A credit is a non-zero amount of integer micro-USD');
    }
    const recorded = await this.ledger.record(tenantId, {
      kind: 'fund',
      jobId: creditId,
      amountMicroUsd,
      ...(source ? { source } : {}),
    });
    const applied = await this.withKnownBudget(tenantId, () => this.store.credit(tenantId, creditId, amountMicroUsd));
    if (applied.status === 'unknown') throw new AppError('SERVICE_UNAVAILABLE', 'The budget could not be read');
    // Recorded now: a new credit (Redis may have had it from the ledger, rebuilt in between).
    // Recorded before but applied now: a crash between the two, finished by this delivery.
    const status = recorded ? 'credited' : applied.status === 'ok' ? 'completed' : 'replayed';
    if (status !== 'replayed') await this.announce(tenantId, [], amountMicroUsd > 0);
    return { status, left: applied.left };
  }

  /** Sets what is left to `amountMicroUsd` (recorded in the ledger as the difference). */
  async set(tenantId: string, amountMicroUsd: number): Promise<BudgetView> {
    const current = await this.read(tenantId);
    return this.fund(tenantId, amountMicroUsd - current.left);
  }

  /**
   * Replaces whatever Redis holds for the tenant with what the ledger says. For a tenant that starts
   * from nothing (e.g. a fresh database next to a Redis that outlived the previous one).
   */
  async resetFromLedger(tenantId: string): Promise<Balance> {
    await this.store.delete(tenantId);
    return this.rebuild(tenantId);
  }

  /** The monthly spend cap (null: none) and what this month has used of it. */
  async monthly(tenantId: string): Promise<{ readonly cap: number | null; readonly used: number }> {
    await this.read(tenantId); // rebuilt first when Redis lost it
    return this.store.monthly(tenantId, this.month());
  }

  /** Applies a monthly spend cap (kept durably by the caller first) to the gate. */
  async applyMonthlyCap(tenantId: string, cap: number | null): Promise<void> {
    await this.withKnownBudget(tenantId, async () =>
      (await this.store.setMonthlyCap(tenantId, cap, this.month())) ? { status: 'ok' } : { status: 'unknown' },
    );
  }

  /** Creates the Redis budget from the ledger unless it exists; returns the balance either way. */
  async rebuild(tenantId: string): Promise<Balance> {
    const now = this.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [snapshot, cap, used] = await Promise.all([
      this.ledger.snapshot(tenantId),
      this.caps.monthlyCapOf(tenantId),
      this.ledger.monthToDate(tenantId, monthStart),
    ]);
    await this.store.init(tenantId, snapshot, { cap, month: monthOf(now), used });
    const balance = await this.store.read(tenantId);
    if (!balance) throw new AppError('SERVICE_UNAVAILABLE', 'The budget could not be rebuilt from the ledger');
    return balance;
  }

  private async fund(tenantId: string, delta: number): Promise<BudgetView> {
    if (delta !== 0) {
      const outcome = await this.withKnownBudget(tenantId, () => this.store.fund(tenantId, delta));
      if (outcome.status !== 'ok') {
        throw new AppError('CONFLICT', `Cannot take ${toUsd(-delta)} USD away: less than that is left unreserved`);
      }
      await this.ledger.record(tenantId, { kind: 'fund', amountMicroUsd: delta });
      await this.announce(tenantId, [], delta > 0);
    }
    return this.read(tenantId);
  }

  private async withKnownBudget<T extends { status: string }>(
    tenantId: string,
    operation: () => Promise<T>,
  ): Promise<T> {
    const first = await operation();
    if (first.status !== 'unknown') return first;
    await this.rebuild(tenantId);
    return operation();
  }
}
