import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test-app';
import { gqlAs } from './as-tenant';
import { buildBattery, type ProbeValues } from './battery';
import { expectNothingOf, type Fixture, randomId, startIsolation, stopIsolation, writeArtifact } from './fixture';
import { missingProbes, probesOf } from './probe-values';
import { differing, explainDifferences, runBattery } from './run-battery';
import { describeSurface, loadComposedSchema, type SchemaSurface } from './schema-surface';

/**
 * Neo4j plans each generated query the first time it sees it, and the deepest full reads take it 10–25 s
 * each on a 2-core machine with a fresh database (as in CI): a whole battery may take minutes.
 */
const batteryTimeoutMs = 240_000;

/**
 * B's answers with its own keys' last use hidden: B's requests record it (at most once a minute), so it
 * changes with time, whatever A does.
 */
const withoutOwnUse = (answers: Map<string, string>): Map<string, string> =>
  new Map(
    [...answers].map(([key, answer]) => [key, answer.replace(/"lastUsedAt":(null|"[^"]*")/g, '"lastUsedAt":"-"')]),
  );

/**
 * Every read the schema offers — generated from the schema, so a new field, relationship, connection,
 * aggregate or sort is covered without editing this file — asked by tenant B about tenant A's data.
 */
describe('tenant isolation: every generated and custom read', { timeout: batteryTimeoutMs }, () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  let surface: SchemaSurface;
  let fx: Fixture;
  /** B's answers with A's probes, shared by the tests below (they run in order). */
  let bWithA = new Map<string, string>();

  beforeAll(async () => {
    schema = await loadComposedSchema();
    surface = describeSurface(schema);
    ({ t, fx } = await startIsolation('read'));
  });
  afterAll(async () => {
    await stopIsolation(t, fx);
  });

  it('exercises every root query, connection, aggregate, relationship filter and related sort the schema offers', () => {
    const covered = new Set(buildBattery(schema, surface, probesOf(fx.a)).flatMap((request) => request.covers));
    const expected = [
      ...surface.roots.query.map((field) => `Query.${field}`),
      ...surface.connections,
      ...surface.aggregates,
      ...surface.relationshipFilters.map((filter) => filter.key),
      ...surface.relatedSorts,
    ];
    expect(expected.filter((key) => !covered.has(key))).toEqual([]);
  });

  it("shows B nothing of A's ids, texts or values through any read, nested traversals and aggregates included", async () => {
    bWithA = await runBattery(t, fx.b.caller, buildBattery(schema, surface, probesOf(fx.a)));
    for (const [key, answer] of bWithA) {
      if (key.endsWith('/errors')) expect(answer, key).toBe('null');
      expectNothingOf(fx.a, answer, key);
    }
  });

  it("answers B identically whether a filter names A's ids and texts or unused ones (no oracle)", async () => {
    // Full reads name no value; only the filtered requests can depend on the probe.
    const probing = buildBattery(schema, surface, missingProbes(fx.missing)).filter(
      (request) => !request.name.startsWith('full read'),
    );
    const withMissing = await runBattery(t, fx.b.caller, probing);
    const probed = new Map([...bWithA].filter(([key]) => !key.startsWith('full read')));
    expect(explainDifferences(probed, withMissing)).toEqual([]);
  });

  it('finds A with the same probes when A asks, so the comparison above can fail', async () => {
    const probing = (values: ProbeValues) =>
      buildBattery(schema, surface, values).filter((request) => !request.name.startsWith('full read'));
    const withA = await runBattery(t, fx.a.caller, probing(probesOf(fx.a)));
    const withMissing = await runBattery(t, fx.a.caller, probing(missingProbes(fx.missing)));
    const changed = new Set(differing(withA, withMissing));
    const mustHit = [...withA.keys()].filter((key) => /\/probe$|__some$|_SOME$/.test(key));
    expect(mustHit.length).toBeGreaterThan(20);
    expect(mustHit.filter((key) => !changed.has(key))).toEqual([]);
  });

  it("does not change any of B's answers when A's data grows", async () => {
    const before = bWithA;
    const grown = await gqlAs<{ createTask: { id: string } }>(
      t,
      fx.a.caller,
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      {
        input: {
          description: `${fx.a.marker} grown`,
          businessValue: 99_991,
          tokensPlan: 77,
          owner: 'dev',
          dependsOn: [fx.a.tasks.root, fx.a.tasks.single],
        },
      },
    );
    expect(grown.errors).toBeUndefined();
    const grownId = grown.data?.createTask.id ?? '';
    await writeArtifact(t, { tenantId: fx.a.tenantId, taskId: grownId, id: randomId(8), content: 'x'.repeat(500) });
    await gqlAs(t, fx.a.admin, 'mutation { topUpBudget(amountUsd: 1234) { leftUsd } }');
    await gqlAs(t, fx.a.caller, 'mutation { setGoal(text: "a second goal of A") { id } }');
    await gqlAs(t, fx.a.caller, 'mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }', {
      id: fx.a.tasks.root,
    });
    const after = await runBattery(t, fx.b.caller, buildBattery(schema, surface, probesOf(fx.a)));
    expect(explainDifferences(withoutOwnUse(before), withoutOwnUse(after))).toEqual([]);
  });
});
