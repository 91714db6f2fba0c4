import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, type TestApp } from '../test-app';
import { gqlAs } from './as-tenant';
import { type Call, isolationCases, type MutationCase } from './cases';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';
import { snapshotOf } from './snapshot';

/** The answer without the strings B sent itself: echoing B's own input tells B nothing new. */
const withoutEchoes = (response: unknown, variables: Record<string, unknown> = {}): string => {
  const sent = (JSON.stringify(variables).match(/"[^"]*"/g) ?? []).filter((quoted) => quoted.length > 7);
  return sent.reduce((body, quoted) => body.replaceAll(quoted.slice(1, -1), '<sent>'), JSON.stringify(response));
};

const mutationCases = Object.entries(isolationCases).filter(
  (entry): entry is [string, MutationCase] => entry[1].kind === 'mutation',
);

/** Every mutation of the schema, sent by tenant B at tenant A's ids; A must not change at all. */
describe('tenant isolation: every mutation', () => {
  let t: TestApp;
  let fx: Fixture;
  const asB = (call: Call) => gqlAs(t, call.admin ? fx.b.admin : fx.b.caller, call.query, call.variables);

  beforeAll(async () => {
    ({ t, fx } = await startIsolation('write'));
  });
  afterAll(async () => {
    await stopIsolation(t, fx);
  });

  it("answers B alike for A's id and an unused one, for every mutation taking an id", async () => {
    const probes = mutationCases.flatMap(([, mutation]) => mutation.idProbes ?? []);
    expect(probes.length).toBeGreaterThan(10);
    for (const probe of probes) {
      const [foreignId, missingId] = [probe.foreign(fx), probe.missing(fx)];
      const foreign = await asB(probe.call(foreignId, fx));
      const missing = await asB(probe.call(missingId, fx));
      expect(codesOf(foreign), probe.name).not.toContain('INTERNAL_SERVER_ERROR');
      expect(foreign.errors, `${probe.name} must refuse`).toBeDefined();
      const same = (response: unknown, id: string) => JSON.stringify(response).replaceAll(id, '<id>');
      expect(same(foreign, foreignId), probe.name).toBe(same(missing, missingId));
      expectNothingOf(fx.a, withoutEchoes(foreign, { foreignId }), probe.name);
    }
  });

  it("changes nothing of A — read back as A, in Neo4j and in Redis — whatever B sends at A's ids", async () => {
    const before = await snapshotOf(t, fx.a);
    for (const [name, mutation] of mutationCases) {
      for (const call of mutation.attacks(fx)) {
        const response = await asB(call);
        expect(codesOf(response), `${name} ${JSON.stringify(call.variables)}`).toEqual(call.code ? [call.code] : []);
        expectNothingOf(fx.a, withoutEchoes(response, call.variables), name);
      }
    }
    expect(await snapshotOf(t, fx.a)).toEqual(before);
  });

  it('sees a change A makes itself, so the comparison above can fail', async () => {
    const before = await snapshotOf(t, fx.a);
    await gqlAs(t, fx.a.caller, 'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id } }', {
      t: fx.a.tasks.queued,
      d: fx.a.tasks.root,
    });
    const after = await snapshotOf(t, fx.a);
    expect(after.api).not.toBe(before.api);
    expect(after.neo4j).not.toBe(before.neo4j);
  });

  it("gives B its own webhook and key when it names A's URL and key name, never A's", async () => {
    const webhooks = await gqlAs<{ webhooks: { id: string }[] }>(t, fx.b.caller, '{ webhooks { id } }');
    expect(webhooks.data?.webhooks.map((webhook) => webhook.id)).not.toContain(fx.a.webhookId);
    const keys = await gqlAs<{ apiKeys: { id: string }[] }>(t, fx.b.caller, '{ apiKeys { id } }');
    expect(keys.data?.apiKeys.map((key) => key.id)).not.toContain(fx.a.apiKeyId);
  });
});
