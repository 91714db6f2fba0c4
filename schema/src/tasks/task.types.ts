export const taskStatuses = ['todo', 'queued', 'doing', 'done', 'failed', 'blocked', 'waiting_budget'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A task as the custom operations and REST aliases return it: scalars plus dependency ids. */
export interface TaskRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly owner: string | null;
  readonly businessValue: number;
  /** Planned tokens, in thousands. */
  readonly tokensPlan: number;
  /** Tokens actually used, in thousands. */
  readonly tokensActual: number;
  /** 0..1 */
  readonly purposeRelevance: number;
  /** ISO-8601, UTC. */
  readonly createdAt: string;
  /** Why the task is failed, blocked or waiting for budget. */
  readonly statusReason: string | null;
  readonly dispatchCount: number;
  /** Who chose the owner role: the router's LLM prompt or its keyword fallback (null: set by hand). */
  readonly routedBy: 'llm' | 'keywords' | null;
  /** Counts the task's changes (see `nextVersion`): of two snapshots of a task, the higher is newer. */
  readonly version: number;
  /** Ids of the tasks this one waits for. */
  readonly dependsOn: readonly string[];
}

/**
 * What the orchestrator's tick reads of every task (`TaskRepository.states`): the fields its decisions and
 * figures use, nothing else, so that reading a 10,000-task tenant every tick costs no more than it must.
 * `description` is read for failed tasks only (a failure's alert quotes it) and is null for the others;
 * `dependsOn` is in no particular order and may name another tenant's task (such an edge never counts as done);
 * `DEPENDS_ON` only ever joins tasks.
 */
export interface TaskState
  extends Pick<
    TaskRecord,
    'id' | 'status' | 'statusReason' | 'owner' | 'businessValue' | 'purposeRelevance' | 'tokensPlan' | 'dispatchCount'
  > {
  readonly description: string | null;
  readonly dependsOn: readonly string[];
  /**
   * Milliseconds since a queued task was claimed or a doing task started, by the database's clock; null for
   * the other statuses (and a task without that time). Tells whether a claim or run may be old enough to be lost.
   */
  readonly runningForMs: number | null;
}

/** `from` depends on `to`: (from)-[:DEPENDS_ON]->(to). */
export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
}

export interface TaskGraph {
  readonly nodes: readonly TaskRecord[];
  readonly edges: readonly DependencyEdge[];
}

/** A new task as the repository writes it; the domain's input rules validate and default it first. */
export interface NewTaskRecord {
  readonly description: string;
  readonly businessValue: number;
  readonly tokensPlan: number;
  readonly purposeRelevance: number;
  readonly owner: string | null;
  readonly status: TaskStatus;
  readonly dependsOn: readonly string[];
}

/** A validated, cycle-free plan: tasks named by keys, edges between keys or to existing task ids. */
export interface PlanRecord {
  readonly tasks: readonly (Omit<NewTaskRecord, 'dependsOn'> & {
    readonly key: string;
    readonly routedBy?: 'llm' | 'keywords' | undefined;
  })[];
  readonly dependencies: readonly DependencyEdge[];
}
