import { describe, expect, it, vi } from 'vitest';
import { Scheduler, type SchedulerDeps, type TickStep } from './scheduler';

const failing = (message: string) => () => Promise.reject(new Error(message));

/** A scheduler over fakes: an empty graph, a funded budget, and the given steps failing. */
const schedulerWith = (
  failures: Partial<Record<TickStep, () => Promise<never>>>,
  overrides: (deps: SchedulerDeps) => Partial<SchedulerDeps> = () => ({}),
) => {
  const dispatchReady = vi.fn(async () => ({ dispatched: [], skipped: [] }));
  const onStepError = vi.fn();
  const fake = <T>(value: object) => value as unknown as T;
  const deps: SchedulerDeps = {
    tasks: fake({ graph: async () => ({ nodes: [], edges: [] }) }),
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
      queues: fake({ queue: () => ({ getJob: async () => undefined }), jobCounts: async () => [] }),
      budget: fake({
        read: deps.budget.read,
        announce: deps.budget.announce,
        costOfTokens: deps.budget.costOfTokens,
        release: async (_tenant: string, jobId: string) => {
          if (jobId === 'aaaaaaaa.1') throw new Error('ERR value is not an integer or out of range');
          released.push(jobId);
          return 0;
        },
      }),
    }));
    const report = await scheduler.tick('t4');
    expect(released).toEqual(['bbbbbbbb.1']);
    expect(report.recovered).toBe(1);
    expect(onStepError).toHaveBeenCalledWith('t4', 'recovery', expect.any(Error));
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
        queue: () => ({
          getJob: async (id: string) => (id === 'runnings.1' ? { id, getState: async () => 'active' } : undefined),
        }),
        jobCounts: async () => [],
      }),
      budget: fake({
        read: deps.budget.read,
        announce: deps.budget.announce,
        costOfTokens: deps.budget.costOfTokens,
        release: async (_tenant: string, jobId: string) => {
          released.push(jobId);
          return 0;
        },
      }),
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

  it('reports no failed step when every step succeeds', async () => {
    const { scheduler, onStepError } = schedulerWith({});
    expect((await scheduler.tick('t3')).failedSteps).toEqual([]);
    expect(onStepError).not.toHaveBeenCalled();
  });
});
