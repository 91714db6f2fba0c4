import neo4j, { type Driver } from 'neo4j-driver';
import { nextVersion } from './task.projection';

/** A task nobody owns yet: the orchestrator's router gives it an agent role. */
export interface UnroutedTask {
  readonly id: string;
  readonly description: string;
}

export interface RoleAssignment {
  readonly role: string;
  readonly routedBy: 'llm' | 'keywords';
  /** Planned tokens (in 1k) for a task that names none; a task's own plan is kept. */
  readonly defaultTokensPlan: number;
}

/** Routing of hand-made tasks: those created without an owner (`createTask`, `POST /task`). */
export class TaskRoutingRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** The tenant's `todo` tasks without an owner, oldest first. A task owned by a person is never listed. */
  async unrouted(tenantId: string, limit: number): Promise<UnroutedTask[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId})
       WHERE t.status = 'todo' AND t.owner IS NULL
       RETURN t.id AS id, t.description AS description
       ORDER BY t.createdAt, t.id LIMIT $limit`,
      { tenantId, limit: neo4j.int(limit) },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => ({
      id: record.get('id') as string,
      description: record.get('description') as string,
    }));
  }

  /**
   * Gives the task its role, once: only while it is still `todo` and owned by nobody (a person who took
   * it meanwhile keeps it). A task planned at 0 tokens gets the default plan, so the budget gate can
   * price it. Returns whether this call assigned it.
   */
  async assign(tenantId: string, taskId: string, assignment: RoleAssignment): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       WHERE t.status = 'todo' AND t.owner IS NULL
       SET t.owner = $role, t.routedBy = $routedBy, ${nextVersion('t')},
           t.tokensPlan = CASE WHEN t.tokensPlan > 0 THEN t.tokensPlan ELSE $defaultTokensPlan END
       RETURN t.id AS id`,
      { tenantId, taskId, ...assignment },
      { database: this.database },
    );
    return records.length > 0;
  }
}
