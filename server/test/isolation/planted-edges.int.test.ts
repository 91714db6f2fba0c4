import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test-app';
import { buildBattery } from './battery';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';
import { probesOf } from './probe-values';
import { explainDifferences, runBattery } from './run-battery';
import { describeSurface, loadComposedSchema } from './schema-surface';

/**
 * Defence in depth. The API never links two tenants' nodes (every write is tenant-scoped), but a bug in
 * a worker or a hand-made repair could. Such a relationship must not become a way into A's data: every
 * read of B's — generated traversals, filters, aggregates, sorts, and the custom reads — must answer
 * exactly as before it was there.
 */
describe('tenant isolation: relationships planted between two tenants', () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  let fx: Fixture;
  let before = new Map<string, string>();
  let after = new Map<string, string>();
  const customReads = ['backlog', 'taskGraph', 'inspection', 'liveSnapshot', 'budgetForecast'];
  const isCustom = (key: string) => customReads.some((field) => key.startsWith(`full read of ${field}`));

  beforeAll(async () => {
    schema = await loadComposedSchema();
    ({ t, fx } = await startIsolation('plant'));
    const battery = buildBattery(schema, describeSurface(schema), probesOf(fx.a));
    before = await runBattery(t, fx.b.caller, battery);
    await t.bolt.executeQuery(
      `MATCH (bRoot:Task {id: $bRoot}), (bSingle:Task {id: $bSingle}), (bTenant:Tenant {id: $bTenant}),
             (aRoot:Task {id: $aRoot}), (aSingle:Task {id: $aSingle}), (aChild:Task {id: $aChild}),
             (aArtifact:Artifact {id: $aArtifact})
       CREATE (bSingle)-[:DEPENDS_ON]->(aRoot), (aSingle)-[:DEPENDS_ON]->(bRoot),
              (bRoot)-[:PRODUCED]->(aArtifact), (bTenant)-[:HAS_TASK]->(aChild)`,
      {
        bRoot: fx.b.tasks.root,
        bSingle: fx.b.tasks.single,
        bTenant: fx.b.tenantId,
        aRoot: fx.a.tasks.root,
        aSingle: fx.a.tasks.single,
        aChild: fx.a.tasks.child,
        aArtifact: fx.a.artifactId,
      },
    );
    after = await runBattery(t, fx.b.caller, battery);
  });
  afterAll(async () => {
    await stopIsolation(t, fx);
  });

  /** Answers of `where: { <relationship>: { some | all | none | single: <probe> } }` (and their _SOME-style forms). */
  const isQuantifiedFilter = (key: string) => /(__some|__all|__none|__single|_SOME|_ALL|_NONE|_SINGLE)$/.test(key);
  const only = (answers: Map<string, string>, keep: (key: string) => boolean) =>
    new Map([...answers].filter(([key]) => keep(key)));

  it("leaves B's traversals, connections, aggregates, aggregate filters and related sorts exactly as they were", () => {
    const keep = (key: string) => !isCustom(key) && !isQuantifiedFilter(key);
    expect(explainDifferences(only(before, keep), only(after, keep))).toEqual([]);
    for (const [key, answer] of only(after, keep)) expectNothingOf(fx.a, answer, key);
  });

  // LEAK (defence in depth; needs a cross-tenant relationship, which no API write creates): @neo4j/graphql
  // 7.6.3 evaluates a relationship filter's node predicate (`dependsOn: { some: { description: … } }`,
  // `dependsOn_SOME`, `dependsOnConnection: { some: { node: … } }`, likewise none/single, on dependsOn,
  // dependents, artifacts and Tenant.tasks) against the related node WITHOUT its @authorization filter. With
  // B's task linked to A's, B's `tasks(where: { dependsOn: { some: { description: { startsWith: "…" } } } })`
  // answers B's task exactly when A's task matches: an oracle that reads A's ids and texts character by
  // character. Fix: add the tenant to the filter's node predicate (or forbid cross-tenant relationships
  // with a database constraint/trigger and check them in the migrations).
  it.fails('answers relationship filters of B the same with a relationship to A planted', () => {
    expect(explainDifferences(only(before, isQuantifiedFilter), only(after, isQuantifiedFilter))).toEqual([]);
  });

  // The custom reads (and the workers' readiness, blocking and agent inputs) follow DEPENDS_ON and PRODUCED only
  // to nodes of the same tenant (schema/src/tasks/task.projection.ts, task-run.repository.ts).
  it('leaves the custom reads of B (backlog, taskGraph, inspection, liveSnapshot, forecast) as they were', () => {
    expect(explainDifferences(only(before, isCustom), only(after, isCustom))).toEqual([]);
    for (const [key, answer] of only(after, isCustom)) expectNothingOf(fx.a, answer, key);
  });
});
