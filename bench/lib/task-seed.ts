/**
 * Seeds a tenant's task DAG straight into Neo4j with UNWIND Cypher, in the shape TaskRepository.createPlan
 * writes it ((:Tenant)-[:HAS_TASK]->(:Task {…}), (:Task)-[:DEPENDS_ON]->(:Task)), so a benchmark can have
 * 10,000 tasks in seconds instead of going through the API one plan at a time.
 */
import { agentRoles } from '@ai-org/core';
import { type createNeo4jDriver, newTaskId } from '@ai-org/schema';

export type Bolt = ReturnType<typeof createNeo4jDriver>;

export type SeedStatus = 'todo' | 'doing' | 'done' | 'queued' | 'waiting_budget';

export interface SeedTask {
  readonly id: string;
  readonly status: SeedStatus;
  readonly owner: string;
  readonly businessValue: number;
  readonly tokensPlan: number;
  readonly purposeRelevance: number;
  /** Ids of earlier tasks this one depends on. */
  readonly dependsOn: readonly string[];
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same graph. */
const random = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * A DAG of `size` agent-owned tasks: each depends on up to two of the 50 tasks created just before it; the
 * first `doneShare` of them are done, the rest todo. The `readyCount` todo tasks right after the done ones
 * depend on done tasks only, so about that many are ready (`readyIds` says exactly which).
 */
export const syntheticTasks = (
  size: number,
  { seed = 16, doneShare = 0.3, readyCount = 0 }: { seed?: number; doneShare?: number; readyCount?: number } = {},
): SeedTask[] => {
  const next = random(seed);
  const ids = Array.from({ length: size }, () => newTaskId());
  const doneCount = Math.floor(size * doneShare);
  return ids.map((id, i) => {
    const dependsOn = new Set<string>();
    // A task of the ready band reaches back past the band, into the done tasks.
    const band = doneCount > 0 && i >= doneCount && i < doneCount + readyCount ? i - doneCount + 1 : 1;
    for (let k = 0; k < 2 && i >= band; k += 1) {
      const back = band + Math.floor(next() * Math.min(50, i - band + 1));
      dependsOn.add(ids[i - back] as string);
    }
    return {
      id,
      status: i < doneCount ? 'done' : 'todo',
      owner: agentRoles[i % agentRoles.length] as string,
      businessValue: 1 + Math.floor(next() * 10),
      tokensPlan: 1 + Math.floor(next() * 20),
      purposeRelevance: Math.round(next() * 100) / 100,
      dependsOn: [...dependsOn],
    };
  });
};

/** The todo tasks whose dependencies are all done: what the dispatcher would pick up. */
export const readyIds = (tasks: readonly SeedTask[]): string[] => {
  const done = new Set(tasks.filter((task) => task.status === 'done').map((task) => task.id));
  return tasks
    .filter((task) => task.status === 'todo' && task.dependsOn.every((id) => done.has(id)))
    .map((task) => task.id);
};

/** The same tasks with the given ids' status changed. */
export const withStatus = (tasks: readonly SeedTask[], ids: Iterable<string>, status: SeedStatus): SeedTask[] => {
  const chosen = new Set(ids);
  return tasks.map((task) => (chosen.has(task.id) ? { ...task, status } : task));
};

const batchSize = 5_000;

/** Writes the tenant node, its tasks and their edges, in batches of UNWIND. Returns the number of edges. */
export const seedTasks = async (bolt: Bolt, tenantId: string, tasks: readonly SeedTask[]): Promise<number> => {
  await bolt.executeQuery(
    `MERGE (tn:Tenant {id: $tenantId})
       ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime(), tn.graphVersion = 1`,
    { tenantId },
  );
  for (let start = 0; start < tasks.length; start += batchSize) {
    const batch = tasks.slice(start, start + batchSize).map(({ dependsOn: _, ...task }, i) => ({
      ...task,
      order: start + i,
    }));
    await bolt.executeQuery(
      `MATCH (tn:Tenant {id: $tenantId})
       UNWIND $tasks AS task
       CREATE (tn)-[:HAS_TASK]->(:Task {
         id: task.id, tenantId: $tenantId, description: 'bench task ' + task.id, status: task.status,
         owner: task.owner, businessValue: task.businessValue, tokensPlan: task.tokensPlan, tokensActual: 0.0,
         purposeRelevance: task.purposeRelevance, routedBy: null, goalId: null,
         createdAt: datetime() + duration({milliseconds: task.order})
       })`,
      { tenantId, tasks: batch },
    );
  }
  const edges = tasks.flatMap((task) => task.dependsOn.map((to) => ({ from: task.id, to })));
  for (let start = 0; start < edges.length; start += batchSize) {
    await bolt.executeQuery(
      `UNWIND $edges AS edge
       MATCH (t:Task {tenantId: $tenantId, id: edge.from}), (d:Task {tenantId: $tenantId, id: edge.to})
       MERGE (t)-[:DEPENDS_ON]->(d)`,
      { tenantId, edges: edges.slice(start, start + batchSize) },
    );
  }
  return edges.length;
};

/** Deletes a tenant's tasks in batches (one transaction of 10,000 tasks and their edges is needlessly big). */
export const deleteTasks = async (bolt: Bolt, tenantId: string): Promise<void> => {
  for (;;) {
    const { records } = await bolt.executeQuery(
      `MATCH (t:Task {tenantId: $tenantId}) WITH t LIMIT 5000 DETACH DELETE t RETURN count(*) AS n`,
      { tenantId },
    );
    if (Number(records[0]?.get('n') ?? 0) === 0) return;
  }
};
