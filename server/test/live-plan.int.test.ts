import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BudgetStore, createRedisClient, loadConfig } from '@ai-org/core';
import { isContiguous, type LiveEvent, subscribe, warmUp } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('watching a plan run live', () => {
  let t: TestApp;
  const tenant = uniqueTenant('live-plan');
  const children: ChildProcess[] = [];
  const admin = { 'x-admin-token': 'admin' };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN: 'admin', BUDGET_MIN_LEFT_USD: '0' });
    for (const entry of ['workers/src/main.ts', 'workers/src/orchestrator.main.ts']) {
      children.push(
        spawn(process.execPath, ['--import', 'tsx', entry], {
          cwd: repoRoot,
          stdio: 'ignore',
          env: {
            ...process.env,
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            OPENAI_API_KEY: '', // the offline provider
            WORKER_TENANTS: tenant,
            WORKER_CONCURRENCY: '4',
            ORCHESTRATOR_INTERVAL_MS: '300',
            ORCHESTRATOR_METRICS_PORT: '0',
            WORKER_METRICS_PORT: '0',
            BUDGET_MIN_LEFT_USD: '0',
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    const redis = createRedisClient(loadConfig(process.env).redis.url, 'worker', 'test-live-plan');
    await new BudgetStore(redis).delete(tenant);
    redis.disconnect();
    await t.bolt.executeQuery(
      'MATCH (n) WHERE (n:Goal OR n:LedgerEntry OR n:Artifact) AND n.tenantId = $tenant DETACH DELETE n',
      {
        tenant,
      },
    );
    await deleteTenants(t.bolt, tenant);
    await t.stop();
  });

  it('streams the goal being planned and every task running to done, from the worker processes', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
    const sub = subscribe(wsUrl, { 'x-tenant-id': tenant });
    await warmUp([sub], () => t.gql('mutation { topUpBudget(amountUsd: 1) { leftUsd } }', {}, tenant, admin));

    await t.gql('mutation { setGoal(text: "a CLI that converts CSV to JSON") { id } }', {}, tenant);
    const accepted = (events: readonly LiveEvent[]) =>
      events.find((e) => e.plan?.phase === 'accepted')?.plan?.taskCount ?? 0;
    const doneIds = (events: readonly LiveEvent[]) =>
      new Set(events.filter((e) => e.task?.status === 'done').map((e) => e.task?.id));
    await sub.waitFor((events) => accepted(events) > 0 && doneIds(events).size === accepted(events), 60_000);
    await sub.waitFor((events) => events.some((e) => e.metrics?.progress === 1), 15_000);

    const events = sub.events;
    expect(isContiguous(events)).toBe(true);
    expect(events.filter((e) => e.plan).map((e) => e.plan?.phase)).toEqual(['planning', 'accepted']);
    const byTask = new Map<string, LiveEvent[]>();
    for (const event of events.filter((e) => e.task))
      byTask.set(event.task?.id ?? '', [...(byTask.get(event.task?.id ?? '') ?? []), event]);
    expect(byTask.size).toBe(accepted(events));
    for (const taskEvents of byTask.values()) {
      const statuses = taskEvents.map((e) => e.task?.status);
      expect(statuses[0]).toBe('todo');
      expect(statuses.at(-1)).toBe('done');
      expect(statuses.indexOf('doing')).toBeLessThan(statuses.lastIndexOf('done'));
      expect(taskEvents.at(-1)?.task?.artifact?.provider).toBe('offline');
    }
    expect(events.filter((e) => e.budget).at(-1)?.budget?.reservedUsd).toBe(0);
    await sub.dispose();
  });
});
