/**
 * B1 reads: `backlog`, `taskGraph` and a generated filtered `tasks(where: …)` list over HTTP GraphQL, each
 * against hand-written Cypher returning the same fields through the driver, for a 1,000-task and a
 * 10,000-task tenant; and the 1,000-task tenant's reads before and after a 10,000-task neighbour arrives
 * (a tenant's read should not cost more because another tenant is big). Sizes: BENCH_TASKS (1,000),
 * BENCH_LARGE_TASKS (10,000), BENCH_NEIGHBOUR_TASKS (10,000), BENCH_RUNS (30), BENCH_WARMUP (5).
 */
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { buildApp } from '@ai-org/server';
import { deleteTenantData } from '@ai-org/testing';
import { benchConfig, benchTenant } from './lib/bench-stack';
import { type Check, type Comparison, saveSection } from './lib/report';
import { type Bolt, deleteTasks, seedTasks, syntheticTasks } from './lib/task-seed';
import { sizeFromEnv, type Timing, timeAlternating } from './lib/timed-runs';

const smallSize = sizeFromEnv('BENCH_TASKS', 1_000);
const largeSize = sizeFromEnv('BENCH_LARGE_TASKS', 10_000);
const neighbourSize = sizeFromEnv('BENCH_NEIGHBOUR_TASKS', 10_000);
const timing = { runs: sizeFromEnv('BENCH_RUNS', 30), warmUp: sizeFromEnv('BENCH_WARMUP', 5) };

const small = benchTenant('reads-s');
const large = benchTenant('reads-l');
const neighbour = benchTenant('reads-n');
const tenants = [small, large, neighbour];

const config = benchConfig(tenants);
const bolt: Bolt = createNeo4jDriver(config.neo4j);
const app = await buildApp(config);

/** The fields the dashboard's graph reads (web/src/features/live/graphql/live.documents.ts). */
const graphFields = 'id description status statusReason owner businessValue purposeRelevance tokensPlan tokensActual';
const backlogFields = `${graphFields} tenantId createdAt dispatchCount`;
const listFields = 'id description status owner businessValue tokensPlan';

const queries = {
  backlog: `{ backlog(limit: 100) { ${backlogFields} dependsOnIds } }`,
  taskGraph: `{ taskGraph { nodes { ${graphFields} dependsOnIds } } }`,
  list: `{ tasks(where: { status: { eq: todo }, businessValue: { gte: 5 } },
               sort: [{ businessValue: DESC }, { id: ASC }], limit: 100) { ${listFields} } }`,
} as const;

/** The same rows by hand: one query each, the same fields, the same order. */
const cypher = {
  backlog: `MATCH (t:Task {tenantId: $tenantId, status: 'todo'})
            WITH t ORDER BY t.businessValue * t.purposeRelevance DESC, t.createdAt, t.id LIMIT 100
            RETURN t.id AS id, t.tenantId AS tenantId, t.description AS description, t.status AS status,
                   t.statusReason AS statusReason, t.owner AS owner, t.businessValue AS businessValue,
                   t.purposeRelevance AS purposeRelevance, t.tokensPlan AS tokensPlan, t.tokensActual AS tokensActual,
                   toString(t.createdAt) AS createdAt, coalesce(t.dispatchCount, 0) AS dispatchCount,
                   [(t)-[:DEPENDS_ON]->(d) | d.id] AS dependsOnIds`,
  taskGraph: `MATCH (t:Task {tenantId: $tenantId})
              RETURN t.id AS id, t.description AS description, t.status AS status, t.statusReason AS statusReason,
                     t.owner AS owner, t.businessValue AS businessValue, t.purposeRelevance AS purposeRelevance,
                     t.tokensPlan AS tokensPlan, t.tokensActual AS tokensActual,
                     [(t)-[:DEPENDS_ON]->(d) | d.id] AS dependsOnIds
              ORDER BY t.createdAt, t.id`,
  list: `MATCH (t:Task {tenantId: $tenantId, status: 'todo'}) WHERE t.businessValue >= 5
         RETURN t.id AS id, t.description AS description, t.status AS status, t.owner AS owner,
                t.businessValue AS businessValue, t.tokensPlan AS tokensPlan
         ORDER BY t.businessValue DESC, t.id ASC LIMIT 100`,
} as const;

type ReadName = keyof typeof queries;
const readNames: readonly ReadName[] = ['backlog', 'taskGraph', 'list'];
const readLabels: Record<ReadName, string> = {
  backlog: 'backlog',
  taskGraph: 'taskGraph',
  list: 'generated tasks(where:…)',
};

const checks: Check[] = [];
const comparisons: Comparison[] = [];
const figures: Record<string, string> = {};

try {
  await migrate(bolt);
  const { graphqlUrl } = await app.start();

  const gql = async (tenantId: string, query: string): Promise<Record<string, unknown>> => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenantId },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data;
  };
  const idsOverGraphql = async (tenantId: string, name: ReadName): Promise<string[]> => {
    const data = await gql(tenantId, queries[name]);
    const rows = (
      name === 'taskGraph' ? (data.taskGraph as { nodes: unknown[] }).nodes : data[name === 'list' ? 'tasks' : name]
    ) as { id: string }[];
    return rows.map((row) => row.id);
  };
  const idsOverCypher = async (tenantId: string, name: ReadName): Promise<string[]> => {
    const { records } = await bolt.executeQuery(cypher[name], { tenantId });
    return records.map((record) => record.get('id') as string);
  };

  /** Checks both sides return the same rows, then times both. */
  const measure = async (
    tenantId: string,
    name: ReadName,
    phase: string,
  ): Promise<{ platform: Timing; baseline: Timing }> => {
    const [viaGraphql, viaCypher] = [await idsOverGraphql(tenantId, name), await idsOverCypher(tenantId, name)];
    const same = viaGraphql.length === viaCypher.length && viaGraphql.every((id, i) => id === viaCypher[i]);
    checks.push({
      name: `${readLabels[name]} returns what the Cypher returns (${phase})`,
      ok: same && viaGraphql.length > 0,
      detail: `${viaGraphql.length} rows over GraphQL, ${viaCypher.length} by Cypher${same ? ', same ids in the same order' : ', DIFFERENT'}`,
    });
    return timeAlternating(
      () => gql(tenantId, queries[name]),
      () => bolt.executeQuery(cypher[name], { tenantId }),
      timing,
    );
  };

  const compare = (
    name: string,
    measured: { platform: Timing; baseline: Timing },
    labels: { platform: string; baseline: string },
    target: { text: string; limit: number | null },
  ): Comparison => {
    const ratio = measured.platform.p50 / measured.baseline.p50;
    return {
      name,
      platform: { label: labels.platform, value: measured.platform.p50, unit: 'ms p50' },
      baseline: { label: labels.baseline, value: measured.baseline.p50, unit: 'ms p50' },
      ratio,
      target: target.text,
      met: target.limit === null ? null : ratio <= target.limit,
      note: `p99 ${measured.platform.p99.toFixed(1)} ms vs ${measured.baseline.p99.toFixed(1)} ms, ${measured.platform.runs} runs`,
    };
  };
  const targetOf = (name: ReadName) =>
    name === 'taskGraph' ? { text: '≤ 2× Cypher p50', limit: 2 } : { text: '≤ 1.5× Cypher p50', limit: 1.5 };

  /**
   * PROFILE's database hits of the hand-written graph read: what Neo4j touches to find one tenant's tasks,
   * through the planner's choice (the tenant index) and forced to scan every task (as before that index).
   */
  const dbHits = async (tenantId: string, scan = false): Promise<number> => {
    const query = scan ? cypher.taskGraph.replace('{tenantId: $tenantId})', '$& USING SCAN t:Task') : cypher.taskGraph;
    const { summary } = await bolt.executeQuery(`PROFILE ${query}`, { tenantId });
    const sum = (plan: { dbHits: number; children: unknown[] } | false | undefined): number =>
      plan ? plan.dbHits + plan.children.reduce<number>((total, child) => total + sum(child as never), 0) : 0;
    return sum(summary.profile as never);
  };
  const hitsOf = async (tenantId: string) =>
    `${await dbHits(tenantId)} (forced label scan: ${await dbHits(tenantId, true)})`;

  console.log(`B1 reads: seeding ${smallSize} tasks (${small})`);
  await seedTasks(bolt, small, syntheticTasks(smallSize, { seed: 1 }));
  // The API's first requests compile and cache (JIT, GraphQL documents, Cypher plans): not part of any figure.
  for (let i = 0; i < 20; i += 1) for (const name of readNames) await gql(small, queries[name]);
  const floor = await timeAlternating(
    () => gql(small, '{ __typename }'),
    () => bolt.executeQuery('RETURN 1 AS one'),
    timing,
  );
  figures['round-trip floor: GraphQL `{ __typename }` over HTTP / Cypher `RETURN 1`'] =
    `${floor.platform.p50.toFixed(1)} ms / ${floor.baseline.p50.toFixed(1)} ms p50`;
  const alone = new Map<ReadName, { platform: Timing; baseline: Timing }>();
  for (const name of readNames) alone.set(name, await measure(small, name, `${smallSize} tasks, alone`));
  const hitsAlone = await dbHits(small);
  figures[`db hits of the ${smallSize}-task graph read, alone`] = await hitsOf(small);

  console.log(`B1 reads: seeding a ${neighbourSize}-task neighbour and the ${largeSize}-task tenant`);
  await seedTasks(bolt, neighbour, syntheticTasks(neighbourSize, { seed: 2 }));
  await seedTasks(bolt, large, syntheticTasks(largeSize, { seed: 3 }));
  const others = neighbourSize + largeSize;
  figures[`db hits of the ${smallSize}-task graph read, beside ${others} other tasks`] = await hitsOf(small);
  const hitsBeside = await dbHits(small);
  comparisons.push({
    name: `graph read of ${smallSize} tasks: database hits beside ${others} other tasks vs alone`,
    platform: { label: 'beside neighbours', value: hitsBeside, unit: 'db hits' },
    baseline: { label: 'alone', value: hitsAlone, unit: 'db hits' },
    ratio: hitsBeside / hitsAlone,
    target: '≈ 1× (independent of other tenants; ≤ 1.2×)',
    met: hitsBeside / hitsAlone <= 1.2,
  });

  for (const name of readNames) {
    const besides = await measure(small, name, `${smallSize} tasks, beside neighbours`);
    const before = alone.get(name);
    if (!before) continue;
    comparisons.push(
      compare(
        `${readLabels[name]}, ${smallSize} tasks`,
        before,
        { platform: 'GraphQL', baseline: 'Cypher' },
        targetOf(name),
      ),
    );
    comparisons.push(
      compare(
        `${readLabels[name]}, ${smallSize} tasks: beside ${others} other tasks vs alone`,
        { platform: besides.platform, baseline: before.platform },
        { platform: 'GraphQL beside neighbours', baseline: 'GraphQL alone' },
        { text: '— (wall clock at two moments of a shared machine: the db hits decide)', limit: null },
      ),
    );
  }
  for (const name of readNames) {
    comparisons.push(
      compare(
        `${readLabels[name]}, ${largeSize} tasks`,
        await measure(large, name, `${largeSize} tasks`),
        { platform: 'GraphQL', baseline: 'Cypher' },
        targetOf(name),
      ),
    );
  }
  figures.sizes = `${smallSize} and ${largeSize} tasks (≈2 edges each, 30% done), a ${neighbourSize}-task neighbour`;
  figures.runs = `p50/p99 of ${timing.runs} runs after ${timing.warmUp} warm-up runs, GraphQL and Cypher alternating`;
  saveSection({ id: 'B1', title: 'Reads: backlog, taskGraph, generated list vs Cypher', comparisons, checks, figures });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const tenant of tenants) await deleteTasks(bolt, tenant).catch(() => undefined);
  await deleteTenantData(tenants, { bolt, redisUrl: config.redis.url }).catch((error: unknown) => console.error(error));
  await app.stop();
  await bolt.close();
}
if (checks.some((check) => !check.ok)) process.exitCode = 1;
