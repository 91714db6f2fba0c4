import type { TaskState } from '@ai-org/schema';
import { describe, expect, it, vi } from 'vitest';
import { Scheduler, type SchedulerDeps, type TickStep } from './scheduler';

const failing = (message: string) => () => Promise.reject(new Error(message));

const state = (id: string, fields: Partial<TaskState> = {}): TaskState => ({
  id,
  status: 'todo',
  statusReason: null,
  owner: 'dev',
  businessValue: 1,
  purposeRelevance: 0.5,
  tokensPlan: 2,
  dispatchCount: 0,
  description: null,
  dependsOn: [],
  runningForMs: null,
  ...fields,
});

/**
 * A claim older than the grace period (recovery has work), a hand-made task without an owner (routing
 * has work) and an agent's ready task (dispatch has work).
 */
const withWork = [
  state('oldclaim', { status: 'queued', runningForMs: 120_000 }),
  state('unowned1', { owner: null }),
  state('ready001'),
];

/** A scheduler over fakes: tasks that give every step work, a funded budget, the given steps failing. */
const schedulerWith = (
  failures: Partial<Record<TickStep, () => Promise<never>>>,
  overrides: (deps: SchedulerDeps) => Partial<SchedulerDeps> = () => ({}),
) => {
  const dispatchReady = vi.fn(async () => ({ dispatched: [], skipped: [] }));
  const onStepError = vi.fn();
  const fake = <T>(value: object) => value as unknown as T;
  const deps: SchedulerDeps = {
    tasks: fake({ states: async () => withWork }),
    runs: fake({ queuedSince: failures.recovery ?? (async () => []), doingSince: async () => [] }),
    dispatch: fake({ dispatchReady: failures.dispatch ?? dispatchReady }),
    budget: fake({
      read: async () => ({
        left: 1,
        reserved: 0,
        spent: 0,
        funded: 1,
        microUsdPer1kTokens: 500,
        minimumLeftMicroUsd: 0,
      }),
      announce: async () => undefined,
      costOfTokens: () => 0,
    }),
    queues: fake({ jobCounts: async () => [] }),
    goalPlanner: fake({ planNext: failures.planning ?? (async () => ({ outcome: 'none' })) }),
    routing: { routeUnowned: failures.routing ?? (async () => []) },
    alerts: fake({
      check: failures.alerts ?? (async () => []),
      planFinished: failures.notifications ?? (async () => null),
    }),
    notifications: { publish: async () => 0 },
    metrics: fake({ record: () => undefined }),
    recoverQueuedAfterMs: 60_000,
    events: { publish: async () => undefined },
    onTick: () => undefined,
    onAlert: () => undefined,
    onStepError,
  };
  return { scheduler: new Scheduler({ ...deps, ...overrides(deps) }), dispatchReady, onStepError };
};

/** The scheduler's fake budget, recording each job it releases; releasing `refused` fails. */
const recordingReleases = (budget: SchedulerDeps['budget'], released: string[], refused?: string) =>
  ({
    ...budget,
    release: async (_tenant: string, jobId: string) => {
      if (jobId === refused) throw new Error('ERR value is not an integer or out of range');
      released.push(jobId);
      return 0;
    },
  }) as unknown as SchedulerDeps['budget'];

describe('a tick', () => {
  it('goes on through dispatch when planning, recovery and routing fail, and reports each failure', async () => {
    const { scheduler, dispatchReady, onStepError } = schedulerWith({
      planning: failing('planner down'),
      recovery: failing('ERR value is not an integer or out of range'),
      routing: failing('router down'),
    });
    const report = await scheduler.tick('t1');
    expect(dispatchReady).toHaveBeenCalledWith('t1', 1_000);
    expect(report.failedSteps).toEqual(['planning', 'recovery', 'routing']);
    expect(onStepError.mock.calls.map(([tenant, step]) => `${tenant}:${step}`)).toEqual([
      't1:planning',
      't1:recovery',
      't1:routing',
    ]);
  });

  it("reconciles a tenant's reservations at most once per recovery period, and goes on when that fails", async () => {
    const reconcile = vi.fn(failing('Neo4j pool busy'));
    const { scheduler, onStepError } = schedulerWith({}, () => ({ reconciler: { reconcile } }));
    const first = await scheduler.tick('t20');
    await scheduler.tick('t20');
    await scheduler.tick('t21');
    expect(reconcile.mock.calls).toEqual([['t20'], ['t21']]);
    expect(first).toMatchObject({ reconciled: 0, failedSteps: ['reconcile'] });
    expect(onStepError).toHaveBeenCalledWith('t20', 'reconcile', expect.any(Error));
  });

  it('still inspects, records and reports when dispatch, alerts and notifications fail', async () => {
    const { scheduler } = schedulerWith({
      dispatch: failing('Neo4j pool busy'),
      alerts: failing('redis busy'),
      notifications: failing('redis busy'),
    });
    const report = await scheduler.tick('t2');
    expect(report).toMatchObject({ tenantId: 't2', dispatched: 0, alerts: [] });
    expect(report.failedSteps).toEqual(['dispatch', 'alerts', 'notifications']);
  });

  it('recovers the other lost claims when one of them cannot be released', async () => {
    const claims = [
      { id: 'aaaaaaaa', role: 'dev', dispatchId: 'aaaaaaaa.1' },
      { id: 'bbbbbbbb', role: 'qa', dispatchId: 'bbbbbbbb.1' },
    ];
    const released: string[] = [];
    const fake = <T>(value: object) => value as unknown as T;
    const { scheduler, onStepError } = schedulerWith({}, (deps) => ({
      runs: fake({
        queuedSince: async () => claims,
        undoClaim: async () => ({ state: 'undone' }),
        doingSince: async () => [],
      }),
      queues: fake({ isPending: async () => false, jobCounts: async () => [] }),
      budget: recordingReleases(deps.budget, released, 'aaaaaaaa.1'),
    }));
    const report = await scheduler.tick('t4');
    expect(released).toEqual(['bbbbbbbb.1']);
    expect(report.recovered).toBe(1);
    expect(onStepError).toHaveBeenCalledWith('t4', 'recovery', expect.any(Error));
  });

  it('releases only the lost claims it put back: a late job that took its task meanwhile settles the reservation itself', async () => {
    const claims = [
      { id: 'lostclam', role: 'dev', dispatchId: 'lostclam.1' },
      // Published after the read: the job started the task, or stored its artifact and has yet to settle.
      { id: 'startedd', role: 'dev', dispatchId: 'startedd.1' },
      { id: 'finished', role: 'qa', dispatchId: 'finished.3' },
    ];
    const released: string[] = [];
    const fake = <T>(value: object) => value as unknown as T;
    const { scheduler } = schedulerWith({}, (deps) => ({
      runs: fake({
        queuedSince: async () => claims,
        undoClaim: async (_tenant: string, id: string) => {
          if (id === 'startedd') return { state: 'stale', status: 'doing' };
          if (id === 'finished') return { state: 'stale', status: 'done' };
          return { state: 'undone' };
        },
        doingSince: async () => [],
      }),
      queues: fake({ isPending: async () => false, jobCounts: async () => [] }),
      budget: recordingReleases(deps.budget, released),
    }));
    const report = await scheduler.tick('t7');
    expect(released).toEqual(['lostclam.1']);
    expect(report.recovered).toBe(1);
  });

  it('puts back a running task whose job vanished and releases it once, leaving one whose job is there', async () => {
    const started = [
      { id: 'lostlost', role: 'dev', dispatchId: 'lostlost.2' },
      { id: 'runnings', role: 'dev', dispatchId: 'runnings.1' },
      { id: 'finished', role: 'qa', dispatchId: 'finished.1' },
    ];
    const released: string[] = [];
    const putBack: string[] = [];
    const fake = <T>(value: object) => value as unknown as T;
    const { scheduler } = schedulerWith({}, (deps) => ({
      runs: fake({
        queuedSince: async () => [],
        doingSince: async () => started,
        // The worker finished this one between the read and the write: it settles its own dispatch.
        recoverLostRun: async (_tenant: string, id: string) => {
          if (id === 'finished') return { state: 'stale', status: 'done' };
          putBack.push(id);
          return { state: 'undone' };
        },
      }),
      queues: fake({
        isPending: async (_tenant: string, _role: string, id: string) => id === 'runnings.1',
        jobCounts: async () => [],
      }),
      budget: recordingReleases(deps.budget, released),
    }));
    const report = await scheduler.tick('t5');
    expect(putBack).toEqual(['lostlost']);
    expect(released).toEqual(['lostlost.2']);
    expect(report.recovered).toBe(1);
  });

  it("queues a fired alert's message even when its live announcement fails", async () => {
    const published: string[] = [];
    const fake = <T>(value: object) => value as unknown as T;
    const { scheduler } = schedulerWith({}, (deps) => ({
      alerts: fake({ check: async () => [{ kind: 'budget_50', threshold: 0.5 }], planFinished: async () => null }),
      budget: fake({ ...deps.budget, announce: failing('redis publish failed') }),
      notifications: {
        publish: async (_tenant: string, event: { kind: string }) => {
          published.push(event.kind);
          return 1;
        },
      },
    }));
    const report = await scheduler.tick('t6');
    expect(published).toEqual(['budget_threshold']);
    expect(report.failedSteps).toEqual(['notifications']);
  });

  it('neither recovers, routes nor dispatches when its read shows no old claim, unrouted or ready task, and reads once', async () => {
    const fake = <T>(value: object) => value as unknown as T;
    const idle = [
      state('done0001', { status: 'done' }),
      state('running1', { status: 'doing', dependsOn: ['done0001'], runningForMs: 59_000 }),
    ];
    const states = vi.fn(async () => idle);
    const routeUnowned = vi.fn(async () => []);
    const queuedSince = vi.fn(async () => []);
    const { scheduler, dispatchReady } = schedulerWith({}, () => ({
      tasks: fake({ states }),
      routing: { routeUnowned },
      runs: fake({ queuedSince, doingSince: queuedSince }),
    }));
    const report = await scheduler.tick('t7');
    expect(queuedSince).not.toHaveBeenCalled();
    expect(routeUnowned).not.toHaveBeenCalled();
    expect(dispatchReady).not.toHaveBeenCalled();
    expect(states).toHaveBeenCalledTimes(1);
    expect(report).toMatchObject({ total: 2, done: 1, running: 1, ready: 0, dispatched: 0 });
  });

  it('dispatches a task whose dependencies are all done, and counts it running from a second read', async () => {
    const fake = <T>(value: object) => value as unknown as T;
    const before = [state('done0001', { status: 'done' }), state('ready001', { dependsOn: ['done0001'] })];
    const after = [before[0] as TaskState, state('ready001', { status: 'queued', dependsOn: ['done0001'] })];
    const states = vi.fn().mockResolvedValueOnce(before).mockResolvedValueOnce(after);
    const dispatched = { taskId: 'ready001', dispatchId: 'ready001.1', queue: 'q', reservedMicroUsd: 1 };
    const dispatchReady = vi.fn(async () => ({ dispatched: [dispatched], skipped: [] }));
    const { scheduler } = schedulerWith({}, () => ({ tasks: fake({ states }), dispatch: fake({ dispatchReady }) }));
    const report = await scheduler.tick('t8');
    expect(dispatchReady).toHaveBeenCalledWith('t8', 1_000);
    expect(states).toHaveBeenCalledTimes(2);
    expect(report).toMatchObject({ dispatched: 1, running: 1, ready: 0 });
  });

  it("leaves out a task whose dependency is not done, a person's task and one without planned tokens", async () => {
    const fake = <T>(value: object) => value as unknown as T;
    const notReady = [
      state('waiting1', { dependsOn: ['running1'] }),
      state('running1', { status: 'doing' }),
      state('person01', { owner: 'alice' }),
      state('notokens', { tokensPlan: 0 }),
      state('otherten', { dependsOn: ['not-in-this-tenant'] }),
    ];
    const { scheduler, dispatchReady } = schedulerWith({}, () => ({ tasks: fake({ states: async () => notReady }) }));
    await scheduler.tick('t9');
    expect(dispatchReady).not.toHaveBeenCalled();
  });

  it('dispatches and reads again after putting back a lost claim, though the read showed nothing ready', async () => {
    const fake = <T>(value: object) => value as unknown as T;
    const lost = [state('lostlost', { status: 'queued', runningForMs: 61_000 })];
    const states = vi
      .fn()
      .mockResolvedValueOnce(lost)
      .mockResolvedValueOnce([state('lostlost')]);
    const { scheduler, dispatchReady } = schedulerWith({}, (deps) => ({
      tasks: fake({ states }),
      runs: fake({
        queuedSince: async () => [{ id: 'lostlost', role: 'dev', dispatchId: 'lostlost.1' }],
        doingSince: async () => [],
        undoClaim: async () => ({ state: 'undone' }),
      }),
      queues: fake({ isPending: async () => false, jobCounts: async () => [] }),
      budget: fake({ ...deps.budget, release: async () => 0 }),
    }));
    const report = await scheduler.tick('t11');
    expect(report.recovered).toBe(1);
    expect(dispatchReady).toHaveBeenCalledWith('t11', 1_000);
    expect(states).toHaveBeenCalledTimes(2);
    expect(report).toMatchObject({ ready: 1, running: 0 });
  });

  it('recovers, routes and dispatches as if each had work when its first read of the tasks fails', async () => {
    const fake = <T>(value: object) => value as unknown as T;
    const states = vi.fn().mockRejectedValueOnce(new Error('Neo4j busy')).mockResolvedValue([]);
    const routeUnowned = vi.fn(async () => []);
    const { scheduler, dispatchReady } = schedulerWith({}, () => ({
      tasks: fake({ states }),
      routing: { routeUnowned },
    }));
    const report = await scheduler.tick('t10');
    expect(report.recovered).toBe(0);
    expect(routeUnowned).toHaveBeenCalledWith('t10');
    expect(dispatchReady).toHaveBeenCalledWith('t10', 1_000);
    expect(report.failedSteps).toEqual([]);
  });

  it('reports no failed step when every step succeeds', async () => {
    const { scheduler, onStepError } = schedulerWith({});
    expect((await scheduler.tick('t3')).failedSteps).toEqual([]);
    expect(onStepError).not.toHaveBeenCalled();
  });
});
