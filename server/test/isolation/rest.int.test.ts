import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test-app';
import { restAs } from './as-tenant';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';
import { restRoutes } from './rest-routes';
import { snapshotOf } from './snapshot';
import { usagePeriod } from './usage-period';

interface RestTask {
  readonly id: string;
  readonly tenant_id: string;
}

/** What B gets from each REST route, and what "nothing of A" means for it. */
const restCases: Readonly<Record<string, (t: TestApp, fx: Fixture) => Promise<void>>> = {
  'GET /': async (t, fx) => {
    const { status, body } = await restAs(t, fx.b.caller, '/');
    expect(status).toBe(200);
    expect((body as { budget_left: number }).budget_left).toBeLessThan(fx.a.fundUsd - 5);
    expectNothingOf(fx.a, body, 'GET /');
  },
  'GET /backlog': async (t, fx) => {
    const { status, body } = await restAs(t, fx.b.caller, '/backlog?limit=500');
    expect(status).toBe(200);
    expect((body as RestTask[]).every((task) => task.tenant_id === fx.b.tenantId)).toBe(true);
    expectNothingOf(fx.a, body, 'GET /backlog');
  },
  'GET /api/graph': async (t, fx) => {
    const { status, body } = await restAs(t, fx.b.caller, '/api/graph');
    expect(status).toBe(200);
    const graph = body as { nodes: RestTask[]; edges: { from: string; to: string }[] };
    expect(graph.nodes.map((node) => node.id).sort()).toEqual(Object.values(fx.b.tasks).sort());
    expectNothingOf(fx.a, body, 'GET /api/graph');
  },
  'GET /workspaces/:id/bundle': async (t, fx) => {
    const get = (id: string, format = '') => restAs(t, fx.b.caller, `/workspaces/${id}/bundle${format}`);
    for (const format of ['', '?format=git']) {
      const [foreign, missing] = [await get(fx.a.workspaceId, format), await get(fx.missing.workspaceId, format)];
      expect(foreign.status).toBe(404);
      expect(JSON.stringify(foreign).replaceAll(fx.a.workspaceId, '<id>')).toBe(
        JSON.stringify(missing).replaceAll(fx.missing.workspaceId, '<id>'),
      );
    }
  },
  'POST /webhooks/stripe': async (t, fx) => {
    // No caller identity counts here: only a Stripe-signed event, whose tenant comes from this platform's
    // own record of the session. B's credentials and a body naming A credit nothing (no Stripe account
    // is configured in this app, so nothing is taken at all; billing.int.test.ts checks forged events).
    const forged = { type: 'checkout.session.completed', data: { object: { client_reference_id: fx.a.tenantId } } };
    const { status } = await restAs(t, fx.b.caller, '/webhooks/stripe', { method: 'POST', body: forged });
    expect(status).toBe(409);
  },
  'GET /usage.csv': async (t, fx) => {
    const query = `from=${usagePeriod.from}&to=${usagePeriod.to}&groupBy=goal,role,day`;
    const response = await fetch(`${t.url}/usage.csv?${query}`, { headers: { ...fx.b.caller.headers } });
    const csv = await response.text();
    expect(response.status).toBe(200);
    // B's goal planning, B's amount; the total row is B's ledger.
    expect(csv).toContain(`${fx.b.goalId},${fx.b.goalText},planning,`);
    expect(csv).toMatch(new RegExp(`\\r\\ntotal,.*,${fx.b.chargedMicroUsd}\\r\\n$`));
    expectNothingOf(fx.a, csv, 'GET /usage.csv');
  },
  'POST /task': async (t, fx) => {
    const post = (id: string) =>
      restAs(t, fx.b.caller, '/task', { method: 'POST', body: { description: 'B', depends_on: [id] } });
    const [foreign, missing] = [await post(fx.a.tasks.root), await post(fx.missing.taskId)];
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign).replaceAll(fx.a.tasks.root, '<id>')).toBe(
      JSON.stringify(missing).replaceAll(fx.missing.taskId, '<id>'),
    );
  },
};

describe('tenant isolation: the REST routes', () => {
  let t: TestApp;
  let fx: Fixture;

  beforeAll(async () => {
    ({ t, fx } = await startIsolation('rest'));
  });
  afterAll(async () => {
    await stopIsolation(t, fx);
  });

  it('has a case for every REST route the API serves', () => {
    expect(Object.keys(restCases).sort()).toEqual(restRoutes().sort());
  });

  it('answers B with B’s data only on every route, and changes nothing of A', async () => {
    const before = await snapshotOf(t, fx.a);
    for (const check of Object.values(restCases)) await check(t, fx);
    expect(await snapshotOf(t, fx.a)).toEqual(before);
  });
});
