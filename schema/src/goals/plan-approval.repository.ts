import { createHash } from 'node:crypto';
import { AppError, notFound } from '@ai-org/core';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { nextVersion } from '../tasks/task.projection';
import { runTransitions } from '../tasks/task-transitions';
import { writeTransaction } from '../write-transaction';
import { planLinesOf, plannedKiloTokensOf } from './plan-lines';

/** SHA-256 (hex) of a plan's canonical lines (see `planLinesOf`). */
export const planHashOf = (lines: readonly string[]): string =>
  createHash('sha256').update(lines.join('\n')).digest('hex');

/**
 * Where a goal's plan stands with its tenant's spend approval: `not_required` (under the threshold, no
 * plan yet, or no threshold), `awaiting_approval` (its tasks are held), `approved` (the approved plan is
 * the current one), `rejected` (its open tasks failed, nothing of it runs).
 */
export type PlanApprovalState = 'not_required' | 'awaiting_approval' | 'approved' | 'rejected';

export interface PlanApprovalRecord {
  readonly goalId: string;
  readonly goalStatus: string;
  readonly state: PlanApprovalState;
  /** SHA-256 of the plan as it is now: what an approval must name. */
  readonly planHash: string;
  /** Σ tokensPlan (thousands) of the goal's tasks now. */
  readonly plannedKiloTokens: number;
  readonly taskCount: number;
  readonly approvedHash: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly rejectedBy: string | null;
  readonly rejectedAt: string | null;
}

/** What an approval or a rejection did: `changed` false when it was done already (a repeated call). */
export interface PlanDecision {
  readonly record: PlanApprovalRecord;
  readonly changed: boolean;
  /** Tasks a rejection failed (to announce). */
  readonly failedTaskIds: readonly string[];
}

/** Tasks a rejection fails: those not dispatched yet (a queued or running one ends as its worker decides). */
const rejectable = runTransitions.rejectPlan.from;

const readGoal = `MATCH (g:Goal {tenantId: $tenantId, id: $goalId})
  WITH g, ${planLinesOf('g')} AS lines
  RETURN g.id AS goalId, g.status AS status, coalesce(g.approvalRequired, false) AS required, lines,
         g.approvedPlan AS approvedPlan, g.approvedHash AS approvedHash, g.approvedBy AS approvedBy,
         toString(g.approvedAt) AS approvedAt, g.rejectedBy AS rejectedBy, toString(g.rejectedAt) AS rejectedAt,
         ${plannedKiloTokensOf('g')} AS kiloTokens, size([line IN lines WHERE line STARTS WITH 'task ']) AS taskCount`;

type Row = { get(key: string): unknown };

const sameLines = (a: readonly string[] | null, b: readonly string[]): boolean =>
  a !== null && a.length === b.length && a.every((line, i) => line === b[i]);

const toRecord = (row: Row): PlanApprovalRecord & { readonly lines: readonly string[] } => {
  const lines = row.get('lines') as string[];
  const approvedPlan = row.get('approvedPlan') as string[] | null;
  const goalStatus = row.get('status') as string;
  const taskCount = Number(row.get('taskCount'));
  const state: PlanApprovalState =
    goalStatus === 'rejected'
      ? 'rejected'
      : row.get('required') !== true || taskCount === 0 || goalStatus === 'failed'
        ? 'not_required'
        : sameLines(approvedPlan, lines)
          ? 'approved'
          : 'awaiting_approval';
  return {
    goalId: row.get('goalId') as string,
    goalStatus,
    state,
    lines,
    planHash: planHashOf(lines),
    plannedKiloTokens: Number(row.get('kiloTokens') ?? 0),
    taskCount,
    approvedHash: row.get('approvedHash') as string | null,
    approvedBy: row.get('approvedBy') as string | null,
    approvedAt: row.get('approvedAt') as string | null,
    rejectedBy: row.get('rejectedBy') as string | null,
    rejectedAt: row.get('rejectedAt') as string | null,
  };
};

const withoutLines = ({ lines: _lines, ...record }: ReturnType<typeof toRecord>): PlanApprovalRecord => record;

const goalNotFound = (goalId: string) => notFound(`Goal ${goalId} not found`, { id: goalId });

/**
 * Spend approval in Neo4j: the tenant's threshold (on its Tenant node) and, per goal, whether its plan
 * needs an owner's approval, the approved plan's canonical lines and hash, and who decided when. All of
 * it is stored, so a crash of any process loses no decision; the dispatch claim reads it
 * (`heldForApproval`).
 */
export class PlanApprovalRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** The tenant's threshold in micro-USD; null when spend approval is off. */
  async threshold(tenantId: string): Promise<number | null> {
    const { records } = await this.driver.executeQuery(
      'MATCH (tn:Tenant {id: $tenantId}) RETURN tn.spendApprovalThresholdMicroUsd AS threshold',
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const threshold = records[0]?.get('threshold') as number | null | undefined;
    return threshold == null ? null : Number(threshold);
  }

  /** Sets (or, with null, turns off) the threshold; the tenant node is created on first use. */
  async setThreshold(tenantId: string, thresholdMicroUsd: number | null): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (tn:Tenant {id: $tenantId})
         ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime()
       SET tn.spendApprovalThresholdMicroUsd = $threshold`,
      { tenantId, threshold: thresholdMicroUsd },
      { database: this.database },
    );
  }

  /**
   * Before the plan's tasks are written: whether they need an owner's approval, with the planned cost.
   * Set first, so that no task of the plan is ever dispatchable unapproved; a goal planned again starts
   * without any earlier approval.
   */
  async requireApproval(
    tenantId: string,
    goalId: string,
    decision: { required: boolean; plannedCostMicroUsd: number },
  ): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, id: $goalId})
       SET g.approvalRequired = $required, g.plannedCostMicroUsd = $cost,
           g.approvedPlan = null, g.approvedHash = null, g.approvedBy = null, g.approvedAt = null`,
      { tenantId, goalId, required: decision.required, cost: decision.plannedCostMicroUsd },
      { database: this.database },
    );
  }

  /** The goal's approval as it is now; null for a missing goal (or another tenant's). */
  async get(tenantId: string, goalId: string): Promise<PlanApprovalRecord | null> {
    const { records } = await this.driver.executeQuery(
      readGoal,
      { tenantId, goalId },
      {
        database: this.database,
        routing: neo4j.routing.READ,
      },
    );
    const row = records[0];
    return row ? withoutLines(toRecord(row)) : null;
  }

  /**
   * Approves the plan the caller saw: only when `planHash` is the hash of the plan as it is now (the
   * tenant is locked first, so no plan edit — they lock it too — slips in between the check and the
   * write). Stores the plan's lines: the dispatch claim compares them with the plan it finds.
   */
  approve(tenantId: string, goalId: string, planHash: string, by: string): Promise<PlanDecision> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      const current = await this.lockedRead(tx, tenantId, goalId);
      if (current.state === 'approved') return { record: withoutLines(current), changed: false, failedTaskIds: [] };
      this.assertAwaiting(current);
      if (current.planHash !== planHash) {
        throw new AppError(
          'CONFLICT',
          `Goal ${goalId}: the plan changed since you saw it; review it again and approve its current hash`,
          { details: { goalId, planHash: current.planHash } },
        );
      }
      await tx.run(
        `MATCH (g:Goal {tenantId: $tenantId, id: $goalId})
         SET g.approvedPlan = $lines, g.approvedHash = $planHash, g.approvedBy = $by, g.approvedAt = datetime(),
             g.statusReason = CASE WHEN g.status = 'awaiting_approval' THEN null ELSE g.statusReason END,
             g.status = CASE WHEN g.status = 'awaiting_approval' THEN 'planned' ELSE g.status END`,
        { tenantId, goalId, lines: current.lines, planHash, by },
      );
      const after = await tx.run(readGoal, { tenantId, goalId });
      return { record: withoutLines(toRecord(after.records[0] as Row)), changed: true, failedTaskIds: [] };
    });
  }

  /**
   * Rejects a plan that waits for approval: the goal becomes `rejected` and its tasks not dispatched
   * yet `failed` ("plan rejected"); nothing was reserved for them, so nothing is charged.
   */
  reject(tenantId: string, goalId: string, by: string): Promise<PlanDecision> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      const current = await this.lockedRead(tx, tenantId, goalId);
      if (current.state === 'rejected') return { record: withoutLines(current), changed: false, failedTaskIds: [] };
      this.assertAwaiting(current);
      const failed = await tx.run(
        `MATCH (g:Goal {tenantId: $tenantId, id: $goalId})
         SET g.status = 'rejected', g.statusReason = 'plan rejected', g.rejectedBy = $by, g.rejectedAt = datetime()
         WITH g
         OPTIONAL MATCH (t:Task {tenantId: $tenantId, goalId: $goalId}) WHERE t.status IN $rejectable
         SET t.status = 'failed', t.statusReason = 'plan rejected', ${nextVersion('t')}
         RETURN [id IN collect(t.id) WHERE id IS NOT NULL] AS ids`,
        { tenantId, goalId, by, rejectable },
      );
      const after = await tx.run(readGoal, { tenantId, goalId });
      return {
        record: withoutLines(toRecord(after.records[0] as Row)),
        changed: true,
        failedTaskIds: (failed.records[0]?.get('ids') as string[] | undefined) ?? [],
      };
    });
  }

  /**
   * Goals whose approved plan changed since (a task or an edge was added, removed or edited) and whose
   * status still says `planned`: they become `awaiting_approval` again. Their tasks were held from the
   * change on whatever this says (the claim compares the plan); this makes it visible. Returns them.
   */
  async noteChangedPlans(tenantId: string): Promise<{ goalId: string; kiloTokens: number; taskCount: number }[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, status: 'planned'})
       WHERE g.approvalRequired = true AND g.approvedPlan IS NOT NULL
       WITH g, ${planLinesOf('g')} AS lines
       WHERE lines <> g.approvedPlan AND size(lines) > 0
       SET g.status = 'awaiting_approval', g.statusReason = 'the plan changed since its approval'
       RETURN g.id AS goalId, ${plannedKiloTokensOf('g')} AS kiloTokens,
              size([line IN lines WHERE line STARTS WITH 'task ']) AS taskCount`,
      { tenantId },
      { database: this.database },
    );
    return records.map((r) => ({
      goalId: r.get('goalId') as string,
      kiloTokens: Number(r.get('kiloTokens') ?? 0),
      taskCount: Number(r.get('taskCount')),
    }));
  }

  /** Locks the tenant (as every plan edit does) and reads the goal; NOT_FOUND for a missing goal. */
  private async lockedRead(tx: ManagedTransaction, tenantId: string, goalId: string) {
    await tx.run('MATCH (tn:Tenant {id: $tenantId}) SET tn._lock = true REMOVE tn._lock', { tenantId });
    const result = await tx.run(readGoal, { tenantId, goalId });
    const row = result.records[0];
    if (!row) throw goalNotFound(goalId);
    return toRecord(row);
  }

  private assertAwaiting(current: PlanApprovalRecord): void {
    if (current.state === 'awaiting_approval') return;
    const why =
      current.state === 'rejected'
        ? 'it was rejected'
        : current.state === 'approved'
          ? 'its plan is approved and runs'
          : 'it has no plan waiting for approval';
    throw new AppError('CONFLICT', `Goal ${current.goalId} cannot be decided on: ${why}`, {
      details: { goalId: current.goalId, state: current.state },
    });
  }
}
