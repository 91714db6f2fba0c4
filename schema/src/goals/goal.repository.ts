import { agentRoles } from '@ai-org/core';
import neo4j, { type Driver } from 'neo4j-driver';
import { newTaskId } from '../tasks/task-id';
import { writeTransaction } from '../write-transaction';

/**
 * `awaiting_approval`: planned above the tenant's spend-approval threshold, its tasks held until an
 * owner approves (then `planned`) or rejects it (`rejected`); see plan-approval.repository.ts.
 */
export type GoalStatus = 'pending' | 'planning' | 'planned' | 'awaiting_approval' | 'rejected' | 'failed';

export interface Goal {
  readonly id: string;
  readonly tenantId: string;
  readonly text: string;
  readonly status: GoalStatus;
  readonly statusReason: string | null;
}

/** Statuses of tasks that still count as backlog: a goal is planned only when none are left. */
const openStatuses = ['todo', 'queued', 'doing', 'waiting_budget', 'blocked'];

const goalProjection = 'g { .id, .tenantId, .text, .status, .statusReason }';

/** A tenant's goals and the claim that makes sure only one orchestrator plans each. */
export class GoalRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** Stores a pending goal; the domain's goal service has checked its text. */
  async create(tenantId: string, text: string): Promise<Goal> {
    const { records } = await this.driver.executeQuery(
      `MERGE (tn:Tenant {id: $tenantId})
         ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime()
       CREATE (tn)-[:HAS_GOAL]->(g:Goal {id: $id, tenantId: $tenantId, text: $text, status: 'pending', createdAt: datetime()})
       RETURN ${goalProjection} AS goal`,
      { tenantId, id: newTaskId(), text },
      { database: this.database },
    );
    return records[0]?.get('goal') as Goal;
  }

  /**
   * What the planner could do for the tenant, read without any lock: `claimable` when `claimForPlanning`
   * may find a goal (one pending or claimed longer than `staleAfterMs` ago, and no open task), `pending`
   * when a goal waits (`noteWaiting` may have something to say), `approvedPlans` when an approved plan may
   * have changed since (`noteChangedPlans` has something to compare). A read that says nothing lets a tick
   * skip the write-locking claim; one that says something is only a hint: the claim decides under its lock.
   */
  async planningOutlook(
    tenantId: string,
    staleAfterMs: number,
  ): Promise<{ claimable: boolean; pending: boolean; approvedPlans: boolean }> {
    const { records } = await this.driver.executeQuery(
      `OPTIONAL MATCH (g:Goal {tenantId: $tenantId}) WHERE g.status IN ['pending', 'planning', 'planned']
       WITH count(CASE WHEN g.status = 'pending' THEN 1 END) AS pending,
            count(CASE WHEN g.status = 'planning'
                        AND g.planningSince < datetime() - duration({milliseconds: $staleAfterMs}) THEN 1 END) AS stale,
            count(CASE WHEN g.status = 'planned' AND g.approvalRequired = true AND g.approvedPlan IS NOT NULL
                       THEN 1 END) AS approved
       RETURN pending, approved,
              CASE WHEN pending + stale = 0 THEN false
                   ELSE NOT EXISTS { MATCH (t:Task {tenantId: $tenantId}) WHERE t.status IN $openStatuses } END
                AS claimable`,
      { tenantId, staleAfterMs: neo4j.int(staleAfterMs), openStatuses },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const row = records[0];
    return {
      claimable: row?.get('claimable') === true,
      pending: Number(row?.get('pending') ?? 0) > 0,
      approvedPlans: Number(row?.get('approved') ?? 0) > 0,
    };
  }

  /**
   * Claims the tenant's oldest pending goal for planning when its backlog is empty, atomically (the
   * tenant is write-locked first, so two orchestrators cannot both claim). A claim older than
   * `staleAfterMs` (its planner died) may be taken over. Returns null when there is nothing to plan.
   */
  claimForPlanning(tenantId: string, staleAfterMs: number): Promise<Goal | null> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      await tx.run('MATCH (tn:Tenant {id: $tenantId}) SET tn.planLock = coalesce(tn.planLock, 0) + 1', { tenantId });
      const result = await tx.run(
        `MATCH (g:Goal {tenantId: $tenantId})
         WHERE g.status = 'pending'
            OR (g.status = 'planning' AND g.planningSince < datetime() - duration({milliseconds: $staleAfterMs}))
         WITH g ORDER BY g.createdAt LIMIT 1
         WHERE NOT EXISTS { MATCH (t:Task {tenantId: $tenantId}) WHERE t.status IN $openStatuses }
         SET g.status = 'planning', g.planningSince = datetime(), g.statusReason = null
         RETURN ${goalProjection} AS goal`,
        { tenantId, staleAfterMs: neo4j.int(staleAfterMs), openStatuses },
      );
      return (result.records[0]?.get('goal') as Goal | undefined) ?? null;
    });
  }

  /**
   * Records the architect's outline before the plan's tasks are written, so that no task of the goal
   * can start without it (`markPlanned` writes it again with the rest).
   */
  async recordArchitecture(tenantId: string, goalId: string, architecture: string): Promise<void> {
    await this.driver.executeQuery(
      'MATCH (g:Goal {tenantId: $tenantId, id: $goalId}) SET g.architecture = $architecture',
      { tenantId, goalId, architecture },
      { database: this.database },
    );
  }

  /**
   * The plan is written: the goal is `planned`, or `awaiting_approval` when its plan needs an owner's
   * approval it does not have yet (`PlanApprovalRepository.requireApproval`, set before the tasks).
   */
  async markPlanned(
    goalId: string,
    info: { plannedBy: string; architecture: string; taskCount: number },
  ): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (g:Goal {id: $goalId})
       SET g.status = CASE WHEN g.approvalRequired = true AND g.approvedPlan IS NULL THEN 'awaiting_approval'
                           ELSE 'planned' END,
           g.plannedAt = datetime(), g.plannedBy = $plannedBy,
           g.architecture = $architecture, g.taskCount = $taskCount, g.statusReason = null`,
      { goalId, ...info, taskCount: neo4j.int(info.taskCount) },
      { database: this.database },
    );
  }

  async markFailed(goalId: string, reason: string): Promise<void> {
    await this.setStatus(goalId, 'failed', reason);
  }

  /** Gives a claimed goal back (e.g. the budget cannot pay for planning yet); it is tried again later. */
  async release(goalId: string, reason: string): Promise<void> {
    await this.setStatus(goalId, 'pending', reason);
  }

  /**
   * What keeps the tenant's pending goals waiting, when any: its open tasks by status, and the people
   * (owners that are not agent roles) who own some of them. Null when no goal is pending.
   */
  async openBacklog(
    tenantId: string,
  ): Promise<{ byStatus: Record<string, number>; people: Record<string, number> } | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, status: 'pending'})
       WITH count(g) AS pending WHERE pending > 0
       OPTIONAL MATCH (t:Task {tenantId: $tenantId}) WHERE t.status IN $openStatuses
       WITH t.status AS status, CASE WHEN t.owner IS NULL OR t.owner IN $roles THEN null ELSE t.owner END AS person,
            count(t) AS n
       RETURN status, person, n`,
      { tenantId, openStatuses, roles: [...agentRoles] },
      { database: this.database, routing: neo4j.routing.READ },
    );
    if (records.length === 0) return null;
    const byStatus: Record<string, number> = {};
    const people: Record<string, number> = {};
    for (const record of records) {
      const status = record.get('status') as string | null;
      const person = record.get('person') as string | null;
      const n = Number(record.get('n'));
      if (status !== null) byStatus[status] = (byStatus[status] ?? 0) + n;
      if (person !== null) people[person] = (people[person] ?? 0) + n;
    }
    return { byStatus, people };
  }

  /** Says on the tenant's pending goals what they wait for; returns the ids of those whose reason changed. */
  async noteWaiting(tenantId: string, reason: string): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, status: 'pending'})
       WHERE coalesce(g.statusReason, '') <> $reason
       SET g.statusReason = $reason
       RETURN g.id AS id`,
      { tenantId, reason },
      { database: this.database },
    );
    return records.map((record) => record.get('id') as string);
  }

  /** Tenants with a goal waiting to be planned. */
  async tenantsWithPendingGoals(): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      "MATCH (g:Goal) WHERE g.status IN ['pending', 'planning'] RETURN DISTINCT g.tenantId AS tenantId",
      {},
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => record.get('tenantId') as string);
  }

  async get(tenantId: string, goalId: string): Promise<Goal | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, id: $goalId}) RETURN ${goalProjection} AS goal`,
      { tenantId, goalId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return (records[0]?.get('goal') as Goal | undefined) ?? null;
  }

  private async setStatus(goalId: string, status: GoalStatus, reason: string): Promise<void> {
    await this.driver.executeQuery(
      'MATCH (g:Goal {id: $goalId}) SET g.status = $status, g.statusReason = $reason',
      { goalId, status, reason },
      { database: this.database },
    );
  }
}
