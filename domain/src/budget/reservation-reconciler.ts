import { type AgentQueues, isAgentRole } from '@ai-org/core';
import type { Announcer, ChargeDetails, ChargeRole, TaskRunRepository, WorkspaceRepository } from '@ai-org/schema';
import type { BudgetService } from './budget.service';

export interface ReservationReconcilerDeps {
  readonly budget: Pick<BudgetService, 'openReservations' | 'settle' | 'costOfTokens'>;
  readonly runs: Pick<TaskRunRepository, 'dispatchOutcome' | 'blockedBy'>;
  readonly steps: Pick<WorkspaceRepository, 'steps'>;
  readonly queues: Pick<AgentQueues, 'isPending'>;
  /**
   * Announces the task of each dispatch it settles, and the tasks a failed one blocked: its job may
   * have died before announcing them.
   */
  readonly announcer?: Announcer;
  /** Only reservations older than this are looked at (a running job's own settlement comes first). */
  readonly olderThanMs: number;
  /**
   * Nor older than this (default a day): each pass reads only this window of the ledger, not its whole
   * history. A reservation left open is settled by the first pass after `olderThanMs`, long before.
   */
  readonly withinMs?: number;
  /** At most this many per call; the rest wait for the next. */
  readonly batch?: number;
}

/**
 * What a reservation's owner would have charged for it (and whether its task has failed); null while
 * its owner may still settle it.
 */
type Charge = { readonly tokens: number; readonly details: ChargeDetails; readonly failed?: boolean } | null;

/** `<task>.<n>`: a task's n-th dispatch (see `dispatchIdOf`); `<task>.<n>.step<k>`: a step of its agent loop. */
const dispatchPattern = /^([0-9a-z]{8})\.(\d+)$/;
const stepPattern = /^(([0-9a-z]{8})\.\d+)\.step(\d+)$/;

/**
 * Settles what a dead process left half-settled. A job settles in Redis first and then writes the
 * ledger; its process may die in between, or before settling at all, and usually its next delivery
 * settles (once, for the same amount). When there is no next delivery (BullMQ failed the job for
 * stalling too often, Redis lost it), the reservation would stay open for ever. So, for every
 * reservation the ledger has held for a while without a settlement:
 *
 * - Redis settled it: the ledger records Redis's charge (whoever settled it, nothing is charged again);
 * - a dispatch that stored its artifact, or an agent step that was checkpointed: settled for the
 *   tokens recorded there, exactly what the job would settle on a redelivery;
 * - a dispatch (or its step) whose task moved on and whose job has ended: released, as the job's
 *   redelivery would (its task is no longer its own);
 * - anything else is left to its owner: a dispatch still queued or running (recovery puts lost ones
 *   back and releases them), a routing or planning call (`<task>.route`, `goal.<id>`), which is made
 *   again under the same reservation and settled then.
 *
 * Safe to run at any time and in several orchestrators at once: every settlement is idempotent, and a
 * live job settles for the same amount this does. The task of each dispatch it settles is announced as
 * it is now (the job may have died between its write and its announcement), best effort.
 */
export class ReservationReconciler {
  constructor(private readonly deps: ReservationReconcilerDeps) {}

  /** Settles the tenant's abandoned reservations; returns how many it settled. */
  async reconcile(tenantId: string): Promise<number> {
    const { budget } = this.deps;
    const window = { olderThanMs: this.deps.olderThanMs, withinMs: this.deps.withinMs ?? 86_400_000 };
    const open = await budget.openReservations(tenantId, window, this.deps.batch ?? 100);
    let settled = 0;
    const settledTasks = new Set<string>();
    const failedTasks = new Set<string>();
    for (const reservation of open) {
      let charge: Charge;
      if (reservation.chargedInRedis !== null) {
        // Redis answers the settlement it made before (`duplicate`); the ledger records that charge.
        charge = await this.chargeOf(tenantId, reservation.jobId).catch(() => null);
        await budget.settle(tenantId, reservation.jobId, reservation.chargedInRedis, charge?.details);
      } else {
        charge = await this.chargeOf(tenantId, reservation.jobId);
        if (charge === null) continue;
        await budget.settle(tenantId, reservation.jobId, budget.costOfTokens(charge.tokens), charge.details);
      }
      settled += 1;
      const taskId = dispatchPattern.exec(reservation.jobId)?.[1];
      if (taskId !== undefined) settledTasks.add(taskId);
      if (taskId !== undefined && charge?.failed) failedTasks.add(taskId);
    }
    if (settledTasks.size > 0) await this.announce(tenantId, settledTasks, failedTasks).catch(() => undefined);
    return settled;
  }

  /** The settled dispatches' tasks as they are now, with the tasks a failed one blocked. */
  private async announce(tenantId: string, tasks: Set<string>, failed: Set<string>): Promise<void> {
    const { announcer, runs } = this.deps;
    if (!announcer) return;
    const blocked = await Promise.all([...failed].map((taskId) => runs.blockedBy(tenantId, taskId)));
    await announcer.announce(tenantId, [...new Set([...tasks, ...blocked.flat()])]);
  }

  private async chargeOf(tenantId: string, jobId: string): Promise<Charge> {
    const dispatch = dispatchPattern.exec(jobId);
    if (dispatch) return this.dispatchCharge(tenantId, dispatch[1] as string, jobId);
    const step = stepPattern.exec(jobId);
    if (step) return this.stepCharge(tenantId, step[2] as string, step[1] as string, Number(step[3]));
    return null;
  }

  private async dispatchCharge(tenantId: string, taskId: string, dispatchId: string): Promise<Charge> {
    const outcome = await this.deps.runs.dispatchOutcome(tenantId, taskId, dispatchId);
    const details = (tokens: number): ChargeDetails => ({ tokens, taskId, ...roleOf(outcome?.owner) });
    const failed = outcome?.status === 'failed';
    if (outcome?.tokensUsed != null)
      return { tokens: outcome.tokensUsed, details: details(outcome.tokensUsed), failed };
    if (outcome?.held) return null;
    if (await this.deps.queues.isPending(tenantId, outcome?.owner ?? null, dispatchId)) return null;
    return { tokens: 0, details: details(0), failed };
  }

  private async stepCharge(tenantId: string, taskId: string, dispatchId: string, n: number): Promise<Charge> {
    const steps = await this.deps.steps.steps(tenantId, dispatchId);
    const step = steps.find((candidate) => candidate.n === n);
    const outcome = await this.deps.runs.dispatchOutcome(tenantId, taskId, dispatchId);
    const details = (tokens: number): ChargeDetails => ({ tokens, taskId, ...roleOf(outcome?.owner) });
    if (step?.kind === 'model') {
      const tokens = step.promptTokens + step.completionTokens;
      return { tokens, details: details(tokens) };
    }
    if (outcome?.held) return null;
    if (await this.deps.queues.isPending(tenantId, outcome?.owner ?? null, dispatchId)) return null;
    return { tokens: 0, details: details(0) };
  }
}

const roleOf = (owner: string | null | undefined): { role?: ChargeRole } => (isAgentRole(owner) ? { role: owner } : {});
