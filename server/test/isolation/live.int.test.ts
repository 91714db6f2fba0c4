import { type Subscriber, subscribe, warmUp } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../test-app';
import { type Caller, gqlAs } from './as-tenant';
import { isolationCases } from './cases';
import { expectNothingOf, type Fixture, startIsolation, stopIsolation } from './fixture';

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

/** The socket: B hears nothing of A while A's tasks, budget and goals change, and reads nothing of A over it. */
describe('tenant isolation: subscriptions and operations over the socket', () => {
  let t: TestApp;
  let fx: Fixture;
  let wsUrl: string;
  const subscribers: Subscriber[] = [];
  const listen = (caller: Caller) => {
    const subscriber = subscribe(wsUrl, { ...caller.connectionParams });
    subscribers.push(subscriber);
    return subscriber;
  };
  const create = async (caller: Caller, description: string) => {
    const created = await gqlAs<{ createTask: { id: string } }>(t, caller, createTask, { input: { description } });
    return created.data?.createTask.id ?? '';
  };

  beforeAll(async () => {
    ({ t, fx } = await startIsolation('live'));
    wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.dispose()));
    await stopIsolation(t, fx);
  });

  it('covers the schema’s one subscription field', () => {
    expect(
      Object.entries(isolationCases)
        .filter(([, c]) => c.kind === 'subscription')
        .map(([name]) => name),
    ).toEqual(['events']);
  });

  it("delivers none of A's events to B's socket while A's tasks, budget and goals change", async () => {
    const [subA, subB] = [listen(fx.a.caller), listen(fx.b.caller)];
    await warmUp([subA], () => create(fx.a.caller, 'warm-up'));
    await warmUp([subB], () => create(fx.b.caller, 'warm-up'));

    const fresh = await create(fx.a.caller, `${fx.a.marker} live task`);
    const changes = [
      () =>
        gqlAs(t, fx.a.caller, 'mutation($t: ID!, $d: ID!) { addDependency(taskId: $t, dependsOnId: $d) { id } }', {
          t: fresh,
          d: fx.a.tasks.single,
        }),
      () =>
        gqlAs(t, fx.a.caller, 'mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }', {
          id: fx.a.tasks.root,
        }),
      () =>
        gqlAs(t, fx.a.admin, 'mutation($t: ID) { topUpBudget(amountUsd: 7, tenantId: $t) { leftUsd } }', {
          t: fx.a.tenantId,
        }),
      () => gqlAs(t, fx.a.caller, 'mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id: fx.a.tasks.child }),
      () => gqlAs(t, fx.a.caller, 'mutation { dispatchReadyTasks { dispatched { taskId } } }'),
      () =>
        gqlAs(t, fx.a.caller, 'mutation($t: String!) { setGoal(text: $t) { id } }', { t: `${fx.a.marker} live goal` }),
    ];
    // In order: the dispatch needs the root done first.
    for (const change of changes) expect((await change()).errors).toBeUndefined();

    // One closing event per tenant after all of A's changes: the API reads every tenant's channel over one
    // Redis connection, in publish order, so anything of A's that B would get arrives before B's own end.
    const endA = await create(fx.a.caller, 'end');
    const endB = await create(fx.b.caller, 'end');
    await subA.waitFor((events) => events.some((event) => event.task?.id === endA));
    await subB.waitFor((events) => events.some((event) => event.task?.id === endB));

    expect(subA.events.length).toBeGreaterThan(3); // A did hear its own changes: the test can fail
    expect(subB.events.map((event) => event.task?.id ?? event.kind)).toEqual([endB]);
    expectNothingOf(fx.a, subB.events, 'B’s events');
  });

  it('answers queries and mutations over B’s socket with B’s data only', async () => {
    const subB = listen(fx.b.caller);
    await subB.connected;
    const read = async (query: string, variables: Record<string, unknown> = {}) => {
      for await (const result of subB.client.iterate({ query, variables })) return result;
      return undefined;
    };
    const reads = await read(
      'query($id: ID!) { tasks { id tenantId } one: tasks(where: { id: { eq: $id } }) { id } webhooks { id } }',
      { id: fx.a.tasks.root },
    );
    expect(reads?.errors).toBeUndefined();
    expectNothingOf(fx.a, JSON.stringify(reads?.data).replaceAll(fx.a.tasks.root, '<sent>'), 'socket reads');
    const write = await read('mutation($id: ID!) { setTaskStatus(id: $id, status: failed) { id } }', {
      id: fx.a.tasks.queued,
    });
    expect(write?.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const { records } = await t.bolt.executeQuery('MATCH (t:Task {id: $id}) RETURN t.status AS status', {
      id: fx.a.tasks.queued,
    });
    expect(records[0]?.get('status')).toBe('queued');
  });
});
