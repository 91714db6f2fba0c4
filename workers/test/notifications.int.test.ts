import { randomBytes } from 'node:crypto';
import { createRedisClient, NotificationQueues, notificationQueueName, queuePrefix } from '@ai-org/core';
import { NotificationService, type WebhookView } from '@ai-org/domain';
import { WebhookRepository } from '@ai-org/schema';
import { startWebhookReceiver, type WebhookReceiver } from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkers, type Workers } from '../src/app';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

/** Short backoff and timeout; plain http to the test's own receiver on 127.0.0.1. */
const notifyEnv = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  NOTIFY_ATTEMPTS: '3',
  NOTIFY_BACKOFF_MS: '300',
  NOTIFY_TIMEOUT_MS: '1000',
};

const secret = () => `SECRET${randomBytes(6).toString('hex')}`;
/** Deadline for polls on deliveries: a message goes out in well under a second, a retry after NOTIFY_BACKOFF_MS. */
const delivery = { timeout: 10_000 };
/**
 * A notification queue's jobs by state. Once none is waiting, delayed or active, no request can still
 * reach the receiver: every send happens inside a job, before the job completes or fails.
 */
const jobStates = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;
const settled = (completed: number, failed = 0) => ({
  waiting: 0,
  prioritized: 0,
  delayed: 0,
  active: 0,
  completed,
  failed,
});

interface Setup {
  readonly h: Harness;
  readonly redis: Redis;
  readonly queues: NotificationQueues;
  readonly notifications: NotificationService;
  /** Every log line the workers and the orchestrator wrote (JSON, debug level). */
  readonly logs: string[];
  addWebhook(channel: 'slack' | 'discord', path: string): Promise<WebhookView>;
  startWorkers(): Promise<Workers>;
  orchestrator(): Orchestrator;
  /** Spends the whole budget: 0 → 100 % in one go, crossing every threshold at once. */
  spendEverything(): Promise<void>;
}

describe('Slack and Discord notifications', () => {
  let receiver: WebhookReceiver;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    receiver.release();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const setup = async (overrides: Record<string, string> = {}): Promise<Setup> => {
    const h = await createHarness({ ...notifyEnv, ...overrides });
    const redis = createRedisClient(h.config.redis.url, 'producer', 'test-notifications');
    await redis.connect();
    const queues = new NotificationQueues(redis, h.config.notifications);
    const notifications = new NotificationService(new WebhookRepository(h.bolt), queues, {
      allowedHosts: h.config.notifications.allowedHosts,
      ownServicePorts: h.config.notifications.ownServicePorts,
    });
    const logs: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
    const running: { stop(): Promise<void> }[] = [];
    cleanups.push(async () => {
      for (const process of running.reverse()) await process.stop();
      await queues.queue(h.tenant).obliterate({ force: true });
      await queues.close();
      const alertKeys = await redis.keys(`alerts:{${h.tenant}}:*`);
      if (alertKeys.length > 0) await redis.del(...alertKeys);
      redis.disconnect();
      await h.close();
    });
    return {
      h,
      redis,
      queues,
      notifications,
      logs,
      addWebhook: (channel, path) => notifications.add(h.tenant, { channel, url: receiver.url(path) }),
      async startWorkers() {
        const workers = buildWorkers(h.config, {
          llm: new OfflineProvider(),
          logger: logger.child({ process: 'workers' }),
        });
        await workers.start();
        running.push(workers);
        return workers;
      },
      orchestrator() {
        const orchestrator = buildOrchestrator(h.config, {
          llm: new OfflineProvider(),
          onTick: () => {},
          logger: logger.child({ process: 'orchestrator' }),
        });
        running.push(orchestrator);
        return orchestrator;
      },
      async spendEverything() {
        await h.budget.topUp(h.tenant, 10_000);
        expect(await h.budget.reserve(h.tenant, 'spend.1', 10_000)).toMatchObject({ status: 'ok' });
        await h.budget.settle(h.tenant, 'spend.1', 10_000);
      },
    };
  };

  const counted = async (workers: Workers, labels: Partial<Record<'channel' | 'event' | 'outcome', string>>) => {
    const { values } = await workers.metrics.notifications.get();
    return values
      .filter((v) => Object.entries(labels).every(([key, value]) => v.labels[key as keyof typeof labels] === value))
      .reduce((sum, v) => sum + v.value, 0);
  };

  it('sends one message per webhook when the budget crosses its thresholds, naming the highest, in each payload shape', async () => {
    const s = await setup();
    const slackPath = `slack-${secret()}`;
    const discordPath = `discord-${secret()}`;
    await s.addWebhook('slack', slackPath);
    await s.addWebhook('discord', discordPath);
    const workers = await s.startWorkers();
    const orchestrator = s.orchestrator();

    await s.spendEverything();
    const report = await orchestrator.tick(s.h.tenant);
    expect(report.alerts).toEqual(['budget_50', 'budget_80', 'budget_95', 'budget_100']);
    await expect.poll(() => receiver.received(slackPath).length, delivery).toBe(1);
    await expect.poll(() => receiver.received(discordPath).length, delivery).toBe(1);

    // Another tick raises nothing new, and once the queue is drained (the tick queues synchronously)
    // no second message can come: evidence from the queue rather than from waiting a while.
    expect((await orchestrator.tick(s.h.tenant)).alerts).toEqual([]);
    const queue = s.queues.queue(s.h.tenant);
    await expect.poll(() => queue.getJobCounts(...jobStates), delivery).toEqual(settled(2));
    expect(receiver.received(slackPath)).toHaveLength(1);
    expect(receiver.received(discordPath)).toHaveLength(1);

    const slack = receiver.received(slackPath)[0]?.body as Record<string, unknown>;
    expect(slack).toEqual({ text: expect.stringContaining('Budget 100% spent'), blocks: expect.any(Array) });
    expect(String(slack.text)).not.toMatch(/Budget (50|80|95)%/);
    const discord = receiver.received(discordPath)[0]?.body as Record<string, unknown>;
    expect(discord).toMatchObject({
      content: expect.stringContaining('Budget 100% spent'),
      username: 'AI-Org',
      embeds: [expect.objectContaining({ title: 'Budget 100% spent' })],
    });
    expect(discord).not.toHaveProperty('text');
    expect(await counted(workers, { event: 'budget_threshold', outcome: 'sent' })).toBe(2);
    expect(await counted(workers, { channel: 'discord', outcome: 'sent' })).toBe(1);
  });

  it('tells the webhooks once about a failed task and once when the plan is finished', async () => {
    const s = await setup();
    const path = `slack-${secret()}`;
    await s.addWebhook('slack', path);
    await s.startWorkers();
    const ids = await s.h.plan({
      tasks: [
        { key: 'a', description: 'Parse CSV', owner: 'dev', status: 'done' },
        { key: 'b', description: 'Write <!channel> docs', owner: 'dev', status: 'failed' },
      ],
    });
    const orchestrator = s.orchestrator();
    await orchestrator.tick(s.h.tenant);
    await expect.poll(() => receiver.received(path).length, delivery).toBe(2);
    // A second tick queues no further message: once the queue is drained nothing more can arrive.
    await orchestrator.tick(s.h.tenant);
    const queue = s.queues.queue(s.h.tenant);
    await expect.poll(() => queue.getJobCounts(...jobStates), delivery).toEqual(settled(2));
    const texts = receiver.received(path).map((request) => (request.body as { text: string }).text);
    expect(texts).toHaveLength(2);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Task failed: Task ${ids.b}`),
        expect.stringContaining('Plan finished: All 2 tasks'),
      ]),
    );
    expect(texts.join('\n')).not.toContain('<!channel>');
  });

  it('tells the webhooks again when a failed task is re-run and fails again, as an expensive failure', async () => {
    const s = await setup();
    const path = `slack-${secret()}`;
    await s.addWebhook('slack', path);
    await s.startWorkers();
    const ids = await s.h.plan({ tasks: [{ key: 'a', description: 'Convert rows', owner: 'dev', tokensPlan: 2 }] });
    const id = ids.a as string;
    // Its first run failed after using more than EXPENSIVE_FAILURE_FACTOR (2) × the plan.
    await s.h.bolt.executeQuery(
      "MATCH (t:Task {id: $id}) SET t.status = 'failed', t.statusReason = 'LLM refused: 400', t.dispatchCount = 1, t.tokensActual = 4.5",
      { id },
    );
    const orchestrator = s.orchestrator();
    expect((await orchestrator.tick(s.h.tenant)).alerts).toEqual(['task_failed']);
    await expect.poll(() => receiver.received(path).length, delivery).toBe(2); // task failed, plan finished

    // Re-run by hand: the worker stops it as an expensive failure without calling the LLM.
    await s.h.budget.topUp(s.h.tenant, 1_000_000);
    await s.h.dispatch.dispatch(s.h.tenant, id);
    expect((await s.h.waitForStatus(id, 'failed')).statusReason).toMatch(/^expensive failure/);
    expect((await orchestrator.tick(s.h.tenant)).alerts).toEqual(['expensive_failure']);
    await expect.poll(() => receiver.received(path).length, delivery).toBe(3);

    expect((await orchestrator.tick(s.h.tenant)).alerts).toEqual([]);
    const queue = s.queues.queue(s.h.tenant);
    await expect.poll(() => queue.getJobCounts(...jobStates), delivery).toEqual(settled(3));
    const texts = receiver.received(path).map((request) => (request.body as { text: string }).text);
    expect(texts.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Task failed: Task ${id}`),
        expect.stringContaining('Plan finished: All 1 tasks'),
      ]),
    );
    expect(texts[2]).toContain(`Expensive failure: Task ${id}`);
  });

  it('retries a webhook that answered 500 with backoff and delivers the message once', async () => {
    const s = await setup();
    const path = `slack-${secret()}`;
    const webhook = await s.addWebhook('slack', path);
    receiver.script(path, { status: 500 });
    const workers = await s.startWorkers();
    const { jobId } = await s.notifications.test(s.h.tenant, webhook.id);

    await expect.poll(() => receiver.received(path).length, delivery).toBe(2);
    const [first, second] = receiver.received(path);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(250); // NOTIFY_BACKOFF_MS 300, ±10 %
    const queue = s.queues.queue(s.h.tenant);
    await expect.poll(async () => (await queue.getJob(jobId))?.getState(), delivery).toBe('completed');
    // The job is the only one and it is completed: no further attempt can reach the receiver.
    expect(await queue.getJobCounts(...jobStates)).toEqual(settled(1));
    expect(receiver.received(path)).toHaveLength(2);
    expect(await counted(workers, { channel: 'slack', event: 'test', outcome: 'retry' })).toBe(1);
    expect(await counted(workers, { channel: 'slack', event: 'test', outcome: 'sent' })).toBe(1);
  });

  it("waits as long as a 429's Retry-After asks before trying again", async () => {
    const s = await setup();
    const path = `discord-${secret()}`;
    const webhook = await s.addWebhook('discord', path);
    receiver.script(path, { status: 429, headers: { 'retry-after': '1' } });
    await s.startWorkers();
    await s.notifications.test(s.h.tenant, webhook.id);
    await expect.poll(() => receiver.received(path).length, delivery).toBe(2);
    const [first, second] = receiver.received(path);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once on a 4xx, and drops a message whose webhook was removed', async () => {
    const s = await setup();
    const gonePath = `slack-${secret()}`;
    const removedPath = `slack-${secret()}`;
    const gone = await s.addWebhook('slack', gonePath);
    const removed = await s.addWebhook('slack', removedPath);
    receiver.script(gonePath, { status: 404 });
    const failing = await s.notifications.test(s.h.tenant, gone.id);
    const dropped = await s.notifications.test(s.h.tenant, removed.id);
    await s.notifications.remove(s.h.tenant, removed.id);
    const workers = await s.startWorkers();

    const queue = s.queues.queue(s.h.tenant);
    await expect.poll(async () => (await queue.getJob(failing.jobId))?.getState(), delivery).toBe('failed');
    const failed = await queue.getJob(failing.jobId);
    expect([failed?.attemptsMade, failed?.failedReason]).toEqual([1, 'webhook answered 404']);
    await expect
      .poll(async () => (await queue.getJob(dropped.jobId))?.returnvalue, delivery)
      .toEqual({ outcome: 'dropped' });
    expect(receiver.received(gonePath)).toHaveLength(1);
    expect(receiver.received(removedPath)).toHaveLength(0);
    expect(await counted(workers, { outcome: 'failed' })).toBe(1);
  });

  it('keeps agent tasks running while a webhook hangs', async () => {
    const s = await setup({ NOTIFY_TIMEOUT_MS: '30000' });
    const path = `slack-${secret()}`;
    const webhook = await s.addWebhook('slack', path);
    receiver.script(path, ...Array.from({ length: 8 }, () => 'hang' as const));
    for (let i = 0; i < 8; i += 1) await s.notifications.test(s.h.tenant, webhook.id);
    await s.startWorkers();
    // Every notification slot is taken by a request that gets no answer.
    await expect.poll(() => receiver.hanging(), delivery).toBe(4);

    const ids = await s.h.plan({
      tasks: [
        { key: 'a', description: 'Build the parser', owner: 'dev', tokensPlan: 1 },
        { key: 'b', description: 'Design the flags', owner: 'ux_ui', tokensPlan: 1 },
        { key: 'c', description: 'Test the converter', owner: 'qa', tokensPlan: 1 },
        { key: 'd', description: 'Build the writer', owner: 'dev', tokensPlan: 1 },
      ],
    });
    await s.h.budget.topUp(s.h.tenant, 1_000_000);
    const { dispatched } = await s.h.dispatch.dispatchReady(s.h.tenant, 10);
    expect(dispatched).toHaveLength(4);
    for (const id of Object.values(ids)) expect((await s.h.waitForStatus(id, 'done')).status).toBe('done');
    // Order, not speed: every task got done while the same four webhook calls were still hanging —
    // none answered, timed out (NOTIFY_TIMEOUT_MS 30 s) or was retried, none of the other four started.
    expect(receiver.hanging()).toBe(4);
    expect(receiver.received(path)).toHaveLength(4);
    expect(await s.queues.queue(s.h.tenant).getJobCounts('active', 'delayed', 'completed', 'failed')).toEqual({
      active: 4,
      delayed: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('keeps webhook URLs out of job data, job state in Redis and logs', async () => {
    const s = await setup();
    const slackSecret = secret();
    const discordSecret = secret();
    const slack = await s.addWebhook('slack', `slack-${slackSecret}`);
    const discord = await s.addWebhook('discord', `discord-${discordSecret}`);
    receiver.script(`slack-${slackSecret}`, { status: 500 });
    receiver.script(`discord-${discordSecret}`, { status: 403 });
    await s.startWorkers();
    await s.spendEverything();
    await s.orchestrator().tick(s.h.tenant);

    const queue = s.queues.queue(s.h.tenant);
    await expect
      .poll(() => queue.getJobCounts('completed', 'failed'), delivery)
      .toEqual({
        completed: 1,
        failed: 1,
      });
    const jobs = await queue.getJobs(['completed', 'failed']);
    expect(jobs.map((job) => job.data.webhookId).sort()).toEqual([slack.id, discord.id].sort());
    expect(jobs.map((job) => job.id).sort()).toEqual(
      [slack.id, discord.id].map((id) => `${s.h.tenant}.budget-100-10000.${id}`).sort(),
    );

    // Everything BullMQ keeps for the queue: job hashes (data, failed reason, stack), lists, sets, event stream.
    const dump: string[] = [];
    for (const key of await s.redis.keys(`${queuePrefix(s.h.tenant)}:${notificationQueueName(s.h.tenant)}:*`)) {
      const type = await s.redis.type(key);
      if (type === 'hash') dump.push(JSON.stringify(await s.redis.hgetall(key)));
      else if (type === 'list') dump.push(...(await s.redis.lrange(key, '0', '-1')));
      else if (type === 'zset') dump.push(...(await s.redis.zrange(key, '0', '-1')));
      else if (type === 'set') dump.push(...(await s.redis.smembers(key)));
      else if (type === 'stream') dump.push(JSON.stringify(await s.redis.xrange(key, '-', '+')));
      else if (type === 'string') dump.push(String(await s.redis.get(key)));
    }
    const redisText = dump.join('\n');
    expect(redisText).toContain(slack.id);
    expect(redisText).toContain('webhook answered 403');

    const logText = s.logs.join('\n');
    const lines = s.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'notification sent', tenant: s.h.tenant, webhook: slack.id }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/giving up/), tenant: s.h.tenant, webhook: discord.id }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'notification queued', tenant: s.h.tenant }));
    for (const text of [redisText, logText]) {
      expect(text).not.toContain(slackSecret);
      expect(text).not.toContain(discordSecret);
      expect(text).not.toContain(receiver.url(''));
    }
  });
});
