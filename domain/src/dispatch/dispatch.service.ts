import {
  type AgentJob,
  type AgentQueues,
  type AgentRole,
  AppError,
  type DispatchOutcome,
  isAgentRole,
  type ReserveOutcome,
  tokensFor,
  toUsd,
} from '@ai-org/core';
import type { DispatchClaim, TaskRecord, TaskRunRepository, TaskStatus } from '@ai-org/schema';
import { type SnapshotAnnouncer, silentAnnouncer } from '@ai-org/schema';
import type { BudgetService } from '../budget/budget.service';
import { rankForAdmission } from '../inspection/admission';

export interface Dispatched {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly queue: string;
  readonly reservedMicroUsd: number;
}

/** Told how each dispatch ended and how long it took (e.g. the dispatch-duration histogram). */
export type DispatchObserver = (outcome: DispatchOutcome, seconds: number) => void;

/** Most ready tasks `dispatchReady` claims, reserves and publishes together. */
const dispatchBatchSize = 50;

type Skipped = DispatchSummary['skipped'][number];

const rankedBelowReason = (refusedId: string) => `waits for budget: ${refusedId} ranks higher and cannot be paid yet`;

export interface DispatchSummary {
  readonly dispatched: readonly Dispatched[];
  /** Ready tasks left undispatched, with the reason (budget refused, not ready any more…). */
  readonly skipped: readonly { readonly taskId: string; readonly code: string; readonly reason: string }[];
}

/**
 * The budget gate before publish: a task is claimed (queued) in Neo4j, its planned tokens are
 * reserved in the budget, and only then is its job published on the tenant's queue for its role.
 * A refused reservation publishes nothing and leaves the task waiting for budget.
 */
export class DispatchService {
  constructor(
    private readonly runs: TaskRunRepository,
    private readonly budget: BudgetService,
    private readonly queues: AgentQueues,
    private readonly announcer: SnapshotAnnouncer = silentAnnouncer,
    private readonly observe: DispatchObserver = () => {},
  ) {}

  /** Claims, reserves and publishes one task (see the class); every call is timed for `observe`. */
  async dispatch(tenantId: string, taskId: string): Promise<Dispatched> {
    const startedAt = performance.now();
    const observed = (outcome: DispatchOutcome) => this.observe(outcome, (performance.now() - startedAt) / 1000);
    try {
      const dispatched = await this.claimReserveAndPublish(tenantId, taskId);
      observed('dispatched');
      return dispatched;
    } catch (error) {
      observed(error instanceof AppError && error.code === 'BUDGET_EXCEEDED' ? 'refused' : 'failed');
      throw error;
    }
  }

  private async claimReserveAndPublish(tenantId: string, taskId: string): Promise<Dispatched> {
    const claim = await this.runs.claimForDispatch(tenantId, taskId);
    const { task, dispatchId, previousStatus, previousReason } = claim;
    // From the claim until the job is published, any failure (Neo4j busy, Redis down, publish refused)
    // gives back what this dispatch holds and puts the task back as it was, then rethrows what failed.
    const undo = (reserved: boolean) => this.undo(tenantId, claim, reserved);

    const role = task.owner;
    if (!isAgentRole(role)) {
      await undo(false);
      throw new AppError('INTERNAL_SERVER_ERROR', 'claimed a task without an agent role');
    }
    const cost = this.budget.costOfTokens(task.tokensPlan * 1000);
    let reservation: ReserveOutcome;
    try {
      reservation = await this.budget.reserve(tenantId, dispatchId, cost);
    } catch (error) {
      // The reservation may have been made before the failure (e.g. its announcement failed).
      await undo(true);
      throw error;
    }
    if (reservation.status !== 'ok' && reservation.status !== 'duplicate') {
      const reason = this.refusalReason(reservation, cost);
      let marked: Awaited<ReturnType<TaskRunRepository['markWaitingBudget']>>;
      try {
        marked = await this.runs.markWaitingBudget(tenantId, taskId, reason, { status: 'queued', dispatchId });
      } catch (error) {
        await undo(false);
        throw error;
      }
      // Announce a change only: a task that waited for the same reason before this claim did not change.
      // The task waits as it should whether or not live clients hear of it now.
      const changed = previousStatus !== 'waiting_budget' || previousReason !== reason;
      if (marked.state === 'marked' && changed)
        await this.announcer.announce(tenantId, [taskId]).catch(() => undefined);
      throw new AppError('BUDGET_EXCEEDED', `Task ${taskId} not dispatched: ${reason}`, { details: { taskId } });
    }

    // Announced before the job is published, as the claim read it: no read back, and no event of the
    // job's own (doing, done) can come before this one. A failed announcement only means live clients
    // hear of the task with its next change.
    await this.announceQueued(tenantId, [task]);
    let queue: string;
    try {
      queue = await this.queues.publish({
        tenantId,
        taskId,
        role,
        dispatchId,
        reservedMicroUsd: reservation.amount,
        reservedTokens: tokensFor(reservation.amount, this.budget.policy.microUsdPer1kTokens),
      });
    } catch (error) {
      await this.undoPublish(tenantId, claim);
      // Live clients heard of the task queued: tell them it is back as it was.
      await this.announcer.announce(tenantId, [taskId]).catch(() => undefined);
      throw error;
    }
    // Published: the job runs and holds its reservation, so nothing is undone from here on.
    return { taskId, dispatchId, queue, reservedMicroUsd: reservation.amount };
  }

  private async announceQueued(tenantId: string, tasks: readonly TaskRecord[]): Promise<void> {
    if (tasks.length === 0) return;
    const { announceTasks } = this.announcer;
    const announced = announceTasks
      ? announceTasks.call(this.announcer, tenantId, tasks)
      : this.announcer.announce(
          tenantId,
          tasks.map((task) => task.id),
        );
    await announced.catch(() => undefined);
  }

  /**
   * Admission by value: dispatches the tenant's ready tasks in order of business value × relevance ÷
   * planned cost. At the first one the budget cannot pay for, it stops: that task and every task
   * ranked below it wait for budget, visibly, so money goes to what matters most.
   *
   * Tasks the budget read says it can pay for go in batches (`dispatchBatch`: one claim transaction,
   * one reservation script, one ledger write, one announcement, one `addBulk` per queue); the task at
   * the budget's edge goes alone, as `dispatch` does it, so a refusal is met exactly where it was.
   */
  async dispatchReady(tenantId: string, limit: number): Promise<DispatchSummary> {
    const ready = await this.runs.readyTasks(tenantId, limit);
    const ranked = rankForAdmission(ready, this.budget.policy.microUsdPer1kTokens);
    // A task read waiting for budget for the reason it would be given now is left as it is: no write, no event.
    const reasonOf = new Map(ready.map((task) => [task.id, task.statusReason]));
    const waitsAlready = (task: { id: string; status: string }, reason: string) =>
      task.status === 'waiting_budget' && reasonOf.get(task.id) === reason;
    const dispatched: Dispatched[] = [];
    const skipped: { taskId: string; code: string; reason: string }[] = [];
    let next = 0;
    while (next < ranked.length) {
      const batch = await this.affordablePrefix(tenantId, ranked.slice(next, next + dispatchBatchSize));
      if (batch.length > 0) {
        const outcome = await this.dispatchBatch(tenantId, batch);
        dispatched.push(...outcome.dispatched);
        skipped.push(...outcome.skipped);
        next += batch.length;
        if (outcome.refused === null) continue;
        await this.waitBehind(tenantId, outcome.refused, ranked.slice(next), waitsAlready, skipped);
        break;
      }
      const task = ranked[next] as (typeof ranked)[number];
      next += 1;
      try {
        if (task.status === 'waiting_budget')
          await this.refuseWhileUnaffordable(tenantId, task, (reason) => waitsAlready(task, reason));
        dispatched.push(await this.dispatch(tenantId, task.id));
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'SERVICE_UNAVAILABLE') throw error;
        skipped.push({ taskId: task.id, code: error.code, reason: error.message });
        if (error.code === 'BUDGET_EXCEEDED') {
          await this.waitBehind(tenantId, task.id, ranked.slice(next), waitsAlready, skipped);
          break;
        }
      }
    }
    return { dispatched, skipped };
  }

  /** Tasks ranked below a refused one wait for budget, marked so (unless they wait for that reason already). */
  private async waitBehind(
    tenantId: string,
    refusedId: string,
    rest: readonly { readonly id: string; readonly status: TaskStatus }[],
    waitsAlready: (task: { id: string; status: string }, reason: string) => boolean,
    skipped: { taskId: string; code: string; reason: string }[],
  ): Promise<void> {
    const reason = rankedBelowReason(refusedId);
    const marked: string[] = [];
    for (const task of rest) {
      skipped.push({ taskId: task.id, code: 'BUDGET_EXCEEDED', reason });
      if (waitsAlready(task, reason)) continue;
      // Only a task still in the status it was read in; one waiting already for this reason is unchanged.
      const wait = await this.runs.markWaitingBudget(tenantId, task.id, reason, { status: task.status });
      if (wait.state === 'marked') marked.push(task.id);
    }
    await this.announcer.announce(tenantId, marked);
  }

  /**
   * The longest head of `tasks` the budget, as read now, pays for one after another. The read may be
   * stale; the reservations decide (`dispatchBatch` meets a refusal like `dispatch` does).
   */
  private async affordablePrefix<T extends { readonly tokensPlan: number }>(
    tenantId: string,
    tasks: readonly T[],
  ): Promise<T[]> {
    let { left } = await this.budget.read(tenantId);
    const affordable: T[] = [];
    for (const task of tasks) {
      const cost = this.budget.costOfTokens(task.tokensPlan * 1000);
      if (left < this.budget.policy.minimumLeftMicroUsd || left < cost) break;
      left -= cost;
      affordable.push(task);
    }
    return affordable;
  }

  /**
   * `dispatch` for many tasks at once: claims them in one transaction, reserves for them in rank order
   * in one step that stops at the first refusal, announces them queued once, and publishes them with
   * one `addBulk` per queue. A refused task waits for budget as `dispatch` leaves it, and the claimed
   * tasks ranked below it wait behind it; on any failure, each claimed task not yet published gets its
   * reservation back and its old status, as in `dispatch`, and the error is rethrown.
   */
  private async dispatchBatch(
    tenantId: string,
    tasks: readonly { readonly id: string }[],
  ): Promise<{ dispatched: Dispatched[]; skipped: Skipped[]; refused: string | null }> {
    const startedAt = performance.now();
    const observed = (outcome: DispatchOutcome, count = 1) => {
      const seconds = (performance.now() - startedAt) / 1000;
      for (let i = 0; i < count; i += 1) this.observe(outcome, seconds);
    };
    const skipped: Skipped[] = [];
    const claimed: DispatchClaim[] = [];
    for (const [index, claim] of (
      await this.runs.claimManyForDispatch(
        tenantId,
        tasks.map((t) => t.id),
      )
    ).entries()) {
      if (claim instanceof AppError) {
        skipped.push({ taskId: (tasks[index] as { id: string }).id, code: claim.code, reason: claim.message });
        observed('failed');
      } else claimed.push(claim);
    }
    const costOf = (claim: DispatchClaim) => this.budget.costOfTokens(claim.task.tokensPlan * 1000);
    let outcomes: ReserveOutcome[];
    try {
      outcomes = await this.budget.reserveMany(
        tenantId,
        claimed.map((claim) => ({ jobId: claim.dispatchId, cost: costOf(claim) })),
      );
    } catch (error) {
      await Promise.all(claimed.map((claim) => this.undo(tenantId, claim, true)));
      observed('failed', claimed.length);
      throw error;
    }
    const heldCount = outcomes.findIndex((outcome) => outcome.status !== 'ok' && outcome.status !== 'duplicate');
    const held = heldCount === -1 ? claimed : claimed.slice(0, heldCount);
    const refusedClaim = heldCount === -1 ? null : (claimed[heldCount] as DispatchClaim);
    if (refusedClaim) {
      const refusal = outcomes[heldCount] as ReserveOutcome;
      const reason = this.refusalReason(refusal, costOf(refusedClaim));
      const behind = rankedBelowReason(refusedClaim.task.id);
      const waiting = [
        { claim: refusedClaim, reason },
        ...claimed.slice(heldCount + 1).map((claim) => ({ claim, reason: behind })),
      ];
      await this.waitUnderClaims(tenantId, waiting);
      skipped.push(
        ...waiting.map(({ claim, reason }) => ({
          taskId: claim.task.id,
          code: 'BUDGET_EXCEEDED',
          reason: `Task ${claim.task.id} not dispatched: ${reason}`,
        })),
      );
      observed('refused', waiting.length);
    }

    // Announced before the jobs are published, as the claim read them (see `claimReserveAndPublish`).
    await this.announceQueued(
      tenantId,
      held.map((claim) => claim.task),
    );
    const jobs = held.map((claim, index) => ({
      tenantId,
      taskId: claim.task.id,
      role: claim.task.owner as AgentRole,
      dispatchId: claim.dispatchId,
      reservedMicroUsd: (outcomes[index] as { amount: number }).amount,
      reservedTokens: tokensFor((outcomes[index] as { amount: number }).amount, this.budget.policy.microUsdPer1kTokens),
    }));
    const published = await this.queues.publishMany(jobs);
    const dispatched: Dispatched[] = [];
    const unpublished: DispatchClaim[] = [];
    let failure: unknown = null;
    for (const [index, result] of published.entries()) {
      const claim = held[index] as DispatchClaim;
      const job = jobs[index] as AgentJob;
      if (result.status === 'fulfilled') {
        dispatched.push({
          taskId: job.taskId,
          dispatchId: job.dispatchId,
          queue: result.value,
          reservedMicroUsd: job.reservedMicroUsd,
        });
      } else {
        unpublished.push(claim);
        failure ??= result.reason;
      }
    }
    observed('dispatched', dispatched.length);
    if (failure !== null) {
      await Promise.all(unpublished.map((claim) => this.undoPublish(tenantId, claim)));
      // Live clients heard of these tasks queued: tell them they are back as they were.
      await this.announcer
        .announce(
          tenantId,
          unpublished.map((claim) => claim.task.id),
        )
        .catch(() => undefined);
      observed('failed', unpublished.length);
      throw failure;
    }
    return { dispatched, skipped, refused: refusedClaim?.task.id ?? null };
  }

  /**
   * Claimed tasks that will not run now wait for budget, each with its reason, under their claim; a
   * task whose wait cannot be written gets its old status back. Announced where something changed.
   */
  private async waitUnderClaims(
    tenantId: string,
    waiting: readonly { readonly claim: DispatchClaim; readonly reason: string }[],
  ): Promise<void> {
    const changed: string[] = [];
    for (const { claim, reason } of waiting) {
      const { task, dispatchId, previousStatus, previousReason } = claim;
      try {
        const marked = await this.runs.markWaitingBudget(tenantId, task.id, reason, { status: 'queued', dispatchId });
        if (marked.state === 'marked' && (previousStatus !== 'waiting_budget' || previousReason !== reason))
          changed.push(task.id);
      } catch {
        await this.undo(tenantId, claim, false);
      }
    }
    if (changed.length > 0) await this.announcer.announce(tenantId, changed).catch(() => undefined);
  }

  /**
   * Gives back what a claim holds (its reservation, when `reserved`) and puts the task back as it was,
   * only while it is still queued by this claim. Best effort: if this fails too, the orchestrator's
   * recovery of lost claims does it later.
   */
  private async undo(tenantId: string, claim: DispatchClaim, reserved: boolean): Promise<void> {
    const { task, dispatchId, previousStatus, previousReason } = claim;
    if (reserved) await this.budget.release(tenantId, dispatchId).catch(() => undefined);
    await this.runs.undoClaim(tenantId, task.id, dispatchId, previousStatus, previousReason).catch(() => undefined);
  }

  /**
   * `undo` for a claim whose publish failed. The job may be on its queue all the same (Redis added it
   * and answered too late), and a worker may have started it, even stored its artifact, and not yet
   * settled: so the task is put back first, and the reservation given back only if it was. A task no
   * longer queued by this dispatch is its job's, which settles the reservation itself; one that stays
   * queued (the put-back failed) is the orchestrator's recovery of lost claims.
   */
  private async undoPublish(tenantId: string, claim: DispatchClaim): Promise<void> {
    const { task, dispatchId, previousStatus, previousReason } = claim;
    const undone = await this.runs
      .undoClaim(tenantId, task.id, dispatchId, previousStatus, previousReason)
      .catch(() => null);
    if (undone?.state === 'undone') await this.budget.release(tenantId, dispatchId).catch(() => undefined);
  }

  /**
   * A task waiting for budget is not claimed again while the budget cannot pay for it: it stays as it
   * is (no claim, no write, no event unless the reason changed: `waitsAlready` says it did not) and is
   * refused like a refused reservation. The balance read here may be stale; only the reservation after a
   * claim decides.
   */
  private async refuseWhileUnaffordable(
    tenantId: string,
    task: { id: string; tokensPlan: number },
    waitsAlready: (reason: string) => boolean,
  ): Promise<void> {
    const cost = this.budget.costOfTokens(task.tokensPlan * 1000);
    const { left } = await this.budget.read(tenantId);
    const outcome: ReserveOutcome | null =
      left < this.budget.policy.minimumLeftMicroUsd
        ? { status: 'below_minimum', left }
        : left < cost
          ? { status: 'insufficient', left }
          : null;
    if (!outcome) return;
    const reason = this.refusalReason(outcome, cost);
    if (!waitsAlready(reason)) {
      const wait = await this.runs.markWaitingBudget(tenantId, task.id, reason, { status: 'waiting_budget' });
      if (wait.state === 'marked') await this.announcer.announce(tenantId, [task.id]);
      if (wait.state === 'stale') return; // claimed or changed meanwhile: let the claim decide
    }
    throw new AppError('BUDGET_EXCEEDED', `Task ${task.id} not dispatched: ${reason}`, {
      details: { taskId: task.id },
    });
  }

  private refusalReason(reservation: ReserveOutcome, cost: number): string {
    switch (reservation.status) {
      case 'below_minimum':
        return `budget left ${toUsd(reservation.left)} USD is below the minimum of ${toUsd(this.budget.policy.minimumLeftMicroUsd)} USD`;
      case 'insufficient':
        return `needs ${toUsd(cost)} USD, ${toUsd(reservation.left)} USD left`;
      case 'monthly_cap':
        return `the monthly spend cap of ${toUsd(reservation.cap)} USD is reached (${toUsd(reservation.used)} USD used this month, needs ${toUsd(cost)} USD)`;
      default:
        return 'this dispatch was settled already';
    }
  }
}
