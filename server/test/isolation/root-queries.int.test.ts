import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, type TestApp } from '../test-app';
import { gqlAs } from './as-tenant';
import { type Call, isolationCases, type QueryCase } from './cases';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';
import { canonical } from './run-battery';

const queryCases = Object.entries(isolationCases).filter(
  (entry): entry is [string, QueryCase] => entry[1].kind === 'query',
);

/** Every root query field, each with its own idea of "nothing of A" (see cases.ts), asked by B. */
describe('tenant isolation: every root query field', () => {
  let t: TestApp;
  let fx: Fixture;
  const asB = (call: Call) => gqlAs(t, call.admin ? fx.b.admin : fx.b.caller, call.query, call.variables);

  beforeAll(async () => {
    ({ t, fx } = await startIsolation('query'));
  });
  afterAll(async () => {
    await stopIsolation(t, fx);
  });

  it.each(queryCases)('%s answers B with B’s data only', async (_name, queryCase) => {
    const call = queryCase.asB(fx);
    const response = await asB(call);
    expect(response.errors).toBeUndefined();
    queryCase.expectForB(response.data ?? {}, fx);
    const sent = Object.values(call.variables ?? {}).map(String);
    expectNothingOf(
      fx.a,
      sent.reduce((body, value) => body.replaceAll(value, '<sent>'), JSON.stringify(response.data)),
    );
  });

  it("answers B alike for A's id and an unused one, for every query taking an id", async () => {
    const probes = queryCases.flatMap(([, queryCase]) => queryCase.idProbes ?? []);
    expect(probes.length).toBeGreaterThan(5);
    for (const probe of probes) {
      const [foreignId, missingId] = [probe.foreign(fx), probe.missing(fx)];
      const foreign = await asB(probe.call(foreignId, fx));
      const missing = await asB(probe.call(missingId, fx));
      expect(codesOf(foreign), probe.name).toEqual([]);
      expect(JSON.stringify(foreign), probe.name).toBe(JSON.stringify(missing));
    }
  });

  it('answers A differently to the same requests, so the checks above can fail', async () => {
    for (const [name, queryCase] of queryCases.filter(([, queryCase]) => queryCase.asB(fx).variables)) {
      const call = queryCase.asB(fx);
      const [asA, asOther] = [await gqlAs(t, fx.a.caller, call.query, call.variables), await asB(call)];
      expect(canonical(asA.data), name).not.toBe(canonical(asOther.data));
    }
  });
});
