import { randomBytes } from 'node:crypto';
import { alertKeys, createRedisClient, loadConfig, readAlertCounts } from '@ai-org/core';
import type { TaskRecord } from '@ai-org/schema';
import { testEnv } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertTracker } from '../src/orchestrator/alerts';

/** A task as the orchestrator reads it from the graph, failed in its `dispatchCount`-th run. */
const failedRun = (id: string, dispatchCount: number, statusReason: string): TaskRecord => ({
  id,
  tenantId: 't',
  description: `Task ${id}`,
  status: 'failed',
  owner: 'dev',
  businessValue: 1,
  tokensPlan: 2,
  tokensActual: 5,
  purposeRelevance: 0.5,
  createdAt: '2025-01-01T00:00:00Z',
  statusReason,
  dispatchCount,
  routedBy: null,
  version: 3,
  dependsOn: [],
});
const refused = 'LLM refused: 400';
const expensive = 'expensive failure: already used 5k tokens, more than 2 × the planned 2k';

describe('AlertTracker (failed tasks, real Redis)', () => {
  let redis: Redis;
  const tenants: string[] = [];
  const newTenant = () => {
    const tenant = `test-alerts-${randomBytes(4).toString('hex')}`;
    tenants.push(tenant);
    return tenant;
  };
  const kinds = async (tracker: AlertTracker, tenant: string, tasks: TaskRecord[]) =>
    (await tracker.check(tenant, null, tasks)).map((alert) => alert.kind);

  beforeAll(async () => {
    redis = createRedisClient(loadConfig(testEnv()).redis.url, 'producer', 'test-alerts');
    await redis.connect();
  });
  afterAll(async () => {
    for (const tenant of tenants) {
      const keys = await redis.keys(`alerts:{${tenant}}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it('raises expensive_failure for a re-run task whose earlier failure already raised task_failed', async () => {
    const tenant = newTenant();
    const tracker = new AlertTracker(redis);
    expect(await kinds(tracker, tenant, [failedRun('aaaaaaaa', 1, refused)])).toEqual(['task_failed']);
    expect(await kinds(tracker, tenant, [failedRun('aaaaaaaa', 1, refused)])).toEqual([]);

    // dispatchTask(id) re-ran it; the second run failed as an expensive failure.
    expect(await kinds(tracker, tenant, [failedRun('aaaaaaaa', 2, expensive)])).toEqual(['expensive_failure']);
    expect(await kinds(tracker, tenant, [failedRun('aaaaaaaa', 2, expensive)])).toEqual([]);
    expect(await readAlertCounts(redis, tenant)).toEqual({ task_failed: 1, expensive_failure: 1 });
  });

  it('raises task_failed again for a re-run that fails again, once per run', async () => {
    const tenant = newTenant();
    const tracker = new AlertTracker(redis);
    expect(await kinds(tracker, tenant, [failedRun('bbbbbbbb', 1, refused)])).toEqual(['task_failed']);
    expect(await kinds(tracker, tenant, [failedRun('bbbbbbbb', 2, refused)])).toEqual(['task_failed']);
    expect(await kinds(tracker, tenant, [failedRun('bbbbbbbb', 2, refused)])).toEqual([]);
    expect(await readAlertCounts(redis, tenant)).toEqual({ task_failed: 2 });
  });

  it('raises a failure once between orchestrators checking at the same time', async () => {
    const tenant = newTenant();
    const tasks = [failedRun('cccccccc', 1, refused), failedRun('dddddddd', 3, expensive)];
    const results = await Promise.all([1, 2, 3].map(() => kinds(new AlertTracker(redis), tenant, tasks)));
    expect(results.flat().sort()).toEqual(['expensive_failure', 'task_failed']);
    expect(await readAlertCounts(redis, tenant)).toEqual({ task_failed: 1, expensive_failure: 1 });
  });

  it('does not raise again a failure alerted before alerts were kept per run', async () => {
    const tenant = newTenant();
    // What earlier releases stored: the bare task id.
    await redis.sadd(alertKeys(tenant).failed, 'eeeeeeee');
    const tracker = new AlertTracker(redis);
    expect(await kinds(tracker, tenant, [failedRun('eeeeeeee', 1, refused)])).toEqual([]);
    expect(await kinds(tracker, tenant, [failedRun('eeeeeeee', 2, expensive)])).toEqual(['expensive_failure']);
  });
});
