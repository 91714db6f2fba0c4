import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainsPlan,
  createPlanMutation,
  expectAccounting,
  type FaultStack,
  startFaultRun,
  startFaultStack,
} from './fault-run';

/**
 * The API, the role workers and the orchestrator as separate processes, each killed (or stopped)
 * in the middle of its work and started again; after each scenario the tenant's plan has run to the
 * end with every task done once and paid once.
 */
describe('processes killed mid-run', () => {
  let faults: FaultStack;
  beforeAll(async () => {
    faults = await startFaultStack(4);
  });
  afterAll(async () => {
    await faults?.close();
  });

  it('a worker killed with SIGKILL mid-job: every task runs to done once and is charged once', async () => {
    faults.llm.setDefault({ kind: 'slow', delayMs: 400 });
    const run = await startFaultRun(faults, faults.tenants[0] as string);
    try {
      const plan = chainsPlan();
      await run.plan(plan);
      for (const doneBefore of [5, 25]) {
        await run.waitForDone(doneBefore);
        await run.waitForDoing(); // its LLM call takes 400 ms: the process dies in the middle of it
        expect(await run.crash('workers')).toEqual({ code: null, signal: 'SIGKILL' });
      }
      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  });

  it('the orchestrator killed with SIGKILL mid-dispatch: every task is dispatched on and charged once', async () => {
    faults.llm.setDefault({ kind: 'slow', delayMs: 200 });
    const run = await startFaultRun(faults, faults.tenants[1] as string);
    try {
      const plan = chainsPlan();
      await run.plan(plan);
      const sub = run.subscribers[0];
      if (!sub) throw new Error('no subscriber');
      for (const doneBefore of [3, 20, 35]) {
        await run.waitForDone(doneBefore);
        // A task just finished: the orchestrator is woken to dispatch the next one of its chain and dies
        // doing so (claimed, reserved or published, whichever it had reached).
        const seen = sub.events.length;
        await sub.waitFor((events) => events.slice(seen).some((event) => event.task?.status === 'done'));
        expect(await run.crash('orchestrator')).toEqual({ code: null, signal: 'SIGKILL' });
      }
      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  });

  it('SIGTERM to the workers with jobs active: the jobs finish or are handed back, none is charged twice', async () => {
    const shutdownTimeoutMs = 2_000; // WORKER_SHUTDOWN_TIMEOUT_MS of the stack
    faults.llm.setDefault({ kind: 'slow', delayMs: 300 });
    const run = await startFaultRun(faults, faults.tenants[2] as string);
    try {
      const plan = chainsPlan();
      await run.plan(plan);
      const stopWithJobsActive = async () => {
        await run.waitForDoing();
        expect(await run.crash('workers', 'SIGTERM')).toEqual({ code: 0, signal: null }); // a clean stop
      };

      // Answers within the shutdown timeout: the active jobs finish before the process exits.
      await run.waitForDone(10);
      await stopWithJobsActive();

      // Answers slower than the shutdown timeout: the jobs are cut off and run again by the next process.
      await run.waitForDone(25);
      faults.llm.setDefault({ kind: 'slow', delayMs: shutdownTimeoutMs * 2 });
      const requested = faults.llm.requests.length;
      await expect.poll(() => faults.llm.requests.length, { timeout: 30_000, interval: 20 }).toBeGreaterThan(requested);
      await stopWithJobsActive();
      faults.llm.setDefault({ kind: 'slow', delayMs: 300 });

      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  });

  it('the API killed with SIGKILL in the middle of createPlan: the plan is stored whole or not at all', async () => {
    faults.llm.setDefault({ kind: 'slow', delayMs: 200 });
    const plan = chainsPlan();
    const dependencies = plan.dependencies.length;
    const stored = async (tenant: string) => {
      const { records } = await faults.bolt.executeQuery(
        `MATCH (t:Task {tenantId: $tenant}) OPTIONAL MATCH (t)-[d:DEPENDS_ON]->(:Task)
         RETURN count(DISTINCT t) AS tasks, count(d) AS dependencies`,
        { tenant },
      );
      return { tasks: Number(records[0]?.get('tasks')), dependencies: Number(records[0]?.get('dependencies')) };
    };
    /** Sends the plan and kills the API `afterMs` later; resolves with what the tenant holds then. */
    const createPlanKilled = async (tenant: string, afterMs: number) => {
      const answered = faults.gql(tenant, createPlanMutation, { input: plan }).then(
        () => 'answered',
        () => 'cut off',
      );
      await delay(afterMs); // when the kill lands, not evidence of anything
      await faults.stack.kill('api', 'SIGKILL');
      await answered;
      await faults.stack.restart('api');
      return stored(tenant);
    };
    const nothing = { tasks: 0, dependencies: 0 };
    const whole = { tasks: plan.tasks.length, dependencies };

    // Tenants no process serves: only what createPlan stored counts.
    for (const afterMs of [5, 50, 150]) {
      expect([nothing, whole]).toContainEqual(
        await createPlanKilled(`fault-x-${randomBytes(4).toString('hex')}`, afterMs),
      );
    }

    // A served tenant: the plan, stored whole or sent again, runs to the end once.
    const run = await startFaultRun(faults, faults.tenants[3] as string);
    try {
      const after = await createPlanKilled(run.tenant, 20);
      expect([nothing, whole]).toContainEqual(after);
      await run.subscribe(); // the first subscriber went with the API
      if (after.tasks === 0) await run.plan(plan);
      await expectAccounting(run, plan.tasks.length);
    } finally {
      await run.close();
    }
  });
});
