import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test-app';
import { restAs } from './as-tenant';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';
import { restRoutes } from './rest-routes';
import { snapshotOf } from './snapshot';

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
