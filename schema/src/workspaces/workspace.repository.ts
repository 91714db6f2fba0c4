import type { Driver } from 'neo4j-driver';
import { newTaskId } from '../tasks/task-id';
import { writeTransaction } from '../write-transaction';
import type {
  AgentStepRecord,
  MergeRecord,
  ReleaseRecord,
  StoredToolCall,
  StoredToolResult,
  TestRunRecord,
  WorkspaceRecord,
} from './workspace.types';

const workspaceProjection = 'w { .id, .tenantId, .goalId, .mainCommit, createdAt: toString(w.createdAt) }';
const stepProjection = `s { .dispatchId, .n, .kind, .text, .commit, .promptTokens, .completionTokens, .finishReason, .provider,
  .model, toolCalls: s.toolCallsJson, results: s.resultsJson, createdAt: toString(s.createdAt) }`;
const testRunProjection = `r { .id, .tenantId, .goalId, .taskId, .kind, .commit, .command, .exitCode, .signal,
  .durationMs, .passed, .failed, .output, .truncated, .limitHit, createdAt: toString(r.createdAt) }`;
const mergeProjection = `m { .id, .tenantId, .goalId, .taskId, .commit, .previousMain, .diff, .diffTruncated,
  .files, createdAt: toString(m.createdAt) }`;
const releaseProjection = `r { .id, .tenantId, .goalId, .workspaceId, .tag, .commit, .tarSha256, .tarBytes,
  .bundleSha256, .bundleBytes, createdAt: toString(r.createdAt) }`;

/** How many test runs and merges a read returns at most (newest first). */
const listLimit = 200;

export type NewAgentStep = Omit<AgentStepRecord, 'results' | 'commit' | 'createdAt'> & {
  readonly tenantId: string;
  readonly taskId: string;
};

export type NewTestRun = Omit<TestRunRecord, 'id' | 'createdAt'>;

const parseStep = (row: Record<string, unknown>): AgentStepRecord => ({
  ...(row as unknown as AgentStepRecord),
  n: Number(row.n),
  promptTokens: Number(row.promptTokens),
  completionTokens: Number(row.completionTokens),
  toolCalls: JSON.parse(String(row.toolCalls ?? '[]')) as StoredToolCall[],
  results: row.results === null ? null : (JSON.parse(String(row.results)) as StoredToolResult[]),
});

const toNumbers = <T>(row: Record<string, unknown>, fields: readonly string[]): T => {
  const copy: Record<string, unknown> = { ...row };
  for (const field of fields) if (copy[field] !== null && copy[field] !== undefined) copy[field] = Number(copy[field]);
  return copy as T;
};

/**
 * What Neo4j knows of goals' workspaces: the workspace node, agents' step checkpoints, test runs,
 * merges and releases. Every write is idempotent (keyed by dispatch and step, or by task and commit),
 * so a process that crashed and repeats a write records nothing twice.
 */
export class WorkspaceRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** `(:Goal)-[:HAS_WORKSPACE]->(:Workspace)`, created once. Null when the goal does not exist. */
  async ensure(tenantId: string, goalId: string): Promise<WorkspaceRecord | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (g:Goal {tenantId: $tenantId, id: $goalId})
       MERGE (g)-[:HAS_WORKSPACE]->(w:Workspace {tenantId: $tenantId, goalId: $goalId})
         ON CREATE SET w.id = $id, w.createdAt = datetime(), w.mainCommit = null
       RETURN ${workspaceProjection} AS workspace`,
      { tenantId, goalId, id: newTaskId() },
      { database: this.database },
    );
    return (records[0]?.get('workspace') as WorkspaceRecord | undefined) ?? null;
  }

  async byGoal(tenantId: string, goalId: string): Promise<WorkspaceRecord | null> {
    return this.one(
      `MATCH (:Goal {tenantId: $tenantId, id: $goalId})-[:HAS_WORKSPACE]->(w:Workspace)
       RETURN ${workspaceProjection} AS row`,
      { tenantId, goalId },
    );
  }

  async byId(tenantId: string, workspaceId: string): Promise<WorkspaceRecord | null> {
    return this.one(
      `MATCH (w:Workspace {tenantId: $tenantId, id: $workspaceId}) RETURN ${workspaceProjection} AS row`,
      {
        tenantId,
        workspaceId,
      },
    );
  }

  async list(tenantId: string): Promise<WorkspaceRecord[]> {
    return this.many(
      `MATCH (w:Workspace {tenantId: $tenantId}) RETURN ${workspaceProjection} AS row ORDER BY w.createdAt DESC LIMIT ${listLimit}`,
      { tenantId },
    );
  }

  /** A dispatch's checkpoints, in order. */
  async steps(tenantId: string, dispatchId: string): Promise<AgentStepRecord[]> {
    const rows = await this.many<Record<string, unknown>>(
      `MATCH (s:AgentStep {tenantId: $tenantId, dispatchId: $dispatchId}) RETURN ${stepProjection} AS row ORDER BY s.n`,
      { tenantId, dispatchId },
    );
    return rows.map(parseStep);
  }

  /** Records a step once (a repeated call keeps the first); returns the stored step. */
  async recordStep(step: NewAgentStep): Promise<AgentStepRecord> {
    const rows = await this.write<Record<string, unknown>>(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       MERGE (s:AgentStep {key: $key})
         ON CREATE SET s.tenantId = $tenantId, s.taskId = $taskId, s.dispatchId = $dispatchId, s.n = $n,
                       s.kind = $kind, s.text = $text, s.toolCallsJson = $toolCalls, s.resultsJson = null,
                       s.commit = null, s.promptTokens = $promptTokens, s.completionTokens = $completionTokens,
                       s.finishReason = $finishReason,
                       s.provider = $provider, s.model = $model, s.createdAt = datetime()
       MERGE (t)-[:HAS_STEP]->(s)
       RETURN ${stepProjection} AS row`,
      { ...step, key: stepKey(step.dispatchId, step.n), toolCalls: JSON.stringify(step.toolCalls) },
    );
    const row = rows[0];
    if (!row) throw new Error(`task ${step.taskId} of ${step.tenantId} not found for its step`);
    return parseStep(row);
  }

  /** The results of a step's tools and the commit they made (first write wins). */
  async recordResults(
    tenantId: string,
    dispatchId: string,
    n: number,
    results: readonly StoredToolResult[],
    commit: string | null,
  ): Promise<void> {
    await this.write(
      `MATCH (s:AgentStep {key: $key, tenantId: $tenantId})
       WHERE s.resultsJson IS NULL
       SET s.resultsJson = $results, s.commit = $commit`,
      { key: stepKey(dispatchId, n), tenantId, results: JSON.stringify(results), commit },
    );
  }

  async recordTestRun(run: NewTestRun): Promise<TestRunRecord> {
    const rows = await this.write<Record<string, unknown>>(
      `MATCH (w:Workspace {tenantId: $tenantId, goalId: $goalId})
       CREATE (w)-[:RAN_TESTS]->(r:TestRun {id: $id, tenantId: $tenantId, goalId: $goalId, taskId: $taskId,
         kind: $kind, commit: $commit, command: $command, exitCode: $exitCode, signal: $signal,
         durationMs: $durationMs, passed: $passed, failed: $failed, output: $output, truncated: $truncated,
         limitHit: $limitHit, createdAt: datetime()})
       WITH r
       OPTIONAL MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | MERGE (t)-[:RAN_TESTS]->(r))
       RETURN ${testRunProjection} AS row`,
      { ...run, id: newTaskId() },
    );
    const row = rows[0];
    if (!row) throw new Error(`no workspace for goal ${run.goalId} of ${run.tenantId}`);
    return toNumbers<TestRunRecord>(row, ['exitCode', 'durationMs', 'passed', 'failed']);
  }

  async testRuns(tenantId: string, goalId: string): Promise<TestRunRecord[]> {
    const rows = await this.many<Record<string, unknown>>(
      `MATCH (:Workspace {tenantId: $tenantId, goalId: $goalId})-[:RAN_TESTS]->(r:TestRun)
       RETURN ${testRunProjection} AS row ORDER BY r.createdAt DESC LIMIT ${listLimit}`,
      { tenantId, goalId },
    );
    return rows.map((row) => toNumbers<TestRunRecord>(row, ['exitCode', 'durationMs', 'passed', 'failed']));
  }

  /**
   * Records a task's merge before main moves (pending), once per commit. `confirmMerge` makes it count
   * once main has moved; a pending merge whose compare-and-swap lost is never confirmed, never shown.
   */
  async recordPendingMerge(merge: Omit<MergeRecord, 'id' | 'createdAt'>): Promise<void> {
    await this.write(
      `MATCH (w:Workspace {tenantId: $tenantId, goalId: $goalId})
       MERGE (w)-[:MERGED]->(m:Merge {tenantId: $tenantId, commit: $commit})
         ON CREATE SET m.id = $id, m.goalId = $goalId, m.taskId = $taskId, m.previousMain = $previousMain,
                       m.diff = $diff, m.diffTruncated = $diffTruncated, m.files = $files, m.pending = true,
                       m.createdAt = datetime()
       WITH m
       MATCH (t:Task {tenantId: $tenantId, id: $taskId})
       MERGE (t)-[:MERGED_AS]->(m)`,
      { ...merge, files: [...merge.files], id: newTaskId() },
    );
  }

  /** A pending merge whose compare-and-swap lost (main moved): forgotten. */
  async discardPendingMerge(tenantId: string, commit: string): Promise<void> {
    await this.write('MATCH (m:Merge {tenantId: $tenantId, commit: $commit, pending: true}) DETACH DELETE m', {
      tenantId,
      commit,
    });
  }

  /** The task's latest pending merge reached main: it counts, and the workspace's main is its commit. */
  async confirmMerge(tenantId: string, taskId: string): Promise<MergeRecord | null> {
    const rows = await this.write<MergeRecord>(
      `MATCH (t:Task {tenantId: $tenantId, id: $taskId})-[:MERGED_AS]->(m:Merge)<-[:MERGED]-(w:Workspace)
       WITH m, w ORDER BY coalesce(m.pending, false) DESC, m.createdAt DESC LIMIT 1
       SET w.mainCommit = CASE WHEN m.pending THEN m.commit ELSE w.mainCommit END
       SET m.pending = false
       RETURN ${mergeProjection} AS row`,
      { tenantId, taskId },
    );
    return rows[0] ?? null;
  }

  async merges(tenantId: string, goalId: string): Promise<MergeRecord[]> {
    return this.many(
      `MATCH (:Workspace {tenantId: $tenantId, goalId: $goalId})-[:MERGED]->(m:Merge)
       WHERE NOT coalesce(m.pending, false)
       RETURN ${mergeProjection} AS row ORDER BY m.createdAt DESC LIMIT ${listLimit}`,
      { tenantId, goalId },
    );
  }

  async recordRelease(release: Omit<ReleaseRecord, 'id' | 'createdAt' | 'workspaceId'>): Promise<ReleaseRecord> {
    const rows = await this.write<Record<string, unknown>>(
      `MATCH (w:Workspace {tenantId: $tenantId, goalId: $goalId})
       MERGE (w)-[:RELEASED]->(r:Release {tenantId: $tenantId, tag: $tag})
         ON CREATE SET r.id = $id, r.goalId = $goalId, r.workspaceId = w.id, r.commit = $commit,
                       r.tarSha256 = $tarSha256, r.tarBytes = $tarBytes, r.bundleSha256 = $bundleSha256,
                       r.bundleBytes = $bundleBytes, r.createdAt = datetime()
       RETURN ${releaseProjection} AS row`,
      { ...release, id: newTaskId() },
    );
    const row = rows[0];
    if (!row) throw new Error(`no workspace for goal ${release.goalId} of ${release.tenantId}`);
    return toNumbers<ReleaseRecord>(row, ['tarBytes', 'bundleBytes']);
  }

  async releases(tenantId: string, goalId: string): Promise<ReleaseRecord[]> {
    const rows = await this.many<Record<string, unknown>>(
      `MATCH (:Workspace {tenantId: $tenantId, goalId: $goalId})-[:RELEASED]->(r:Release)
       RETURN ${releaseProjection} AS row ORDER BY r.createdAt DESC LIMIT ${listLimit}`,
      { tenantId, goalId },
    );
    return rows.map((row) => toNumbers<ReleaseRecord>(row, ['tarBytes', 'bundleBytes']));
  }

  /**
   * Goals with a workspace whose every task is done and that have no release yet: the orchestrator
   * ships them. At most `limit`, oldest first.
   */
  async readyToShip(tenantId: string, limit = 10): Promise<WorkspaceRecord[]> {
    return this.many(
      `MATCH (g:Goal {tenantId: $tenantId, status: 'planned'})-[:HAS_WORKSPACE]->(w:Workspace)
       WHERE NOT (w)-[:RELEASED]->(:Release)
         AND EXISTS { MATCH (t:Task {tenantId: $tenantId, goalId: g.id}) }
         AND NOT EXISTS { MATCH (t:Task {tenantId: $tenantId, goalId: g.id}) WHERE t.status <> 'done' }
       RETURN ${workspaceProjection} AS row ORDER BY w.createdAt LIMIT ${Math.max(1, Math.floor(limit))}`,
      { tenantId },
    );
  }

  private async one<T>(query: string, params: Record<string, unknown>): Promise<T | null> {
    return (await this.many<T>(query, params))[0] ?? null;
  }

  private async many<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const { records } = await this.driver.executeQuery(query, params, { database: this.database, routing: 'READ' });
    return records.map((record) => record.get('row') as T);
  }

  private async write<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      const result = await tx.run(query, params);
      return result.records.map((record) => record.get('row') as T);
    });
  }
}

const stepKey = (dispatchId: string, n: number): string => `${dispatchId}#${n}`;
