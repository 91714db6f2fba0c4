import { createRedisClient, NotificationQueues } from '@ai-org/core';
import {
  type FakeChatRequest,
  type FakeLlmServer,
  graphqlClient,
  startFakeLlmServer,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelAndRuleQueries } from '../prometheus/queries';
import { type RunningPrometheus, startPrometheus } from './prometheus.server';
import { type RunningStack, startStack } from './stack';

const adminToken = 'observability-admin';
/** Marks the task whose answer overruns its reservation: cut off, failed, charged in full. */
const overrunMarker = 'overrun-the-reservation';

/**
 * The fake LLM answers with exactly as many tokens as the reservation leaves (so a tenant's spend
 * is predictable and nearly all of it), and overruns it for the marked task.
 */
const answerFillingTheReservation = (request: FakeChatRequest) => {
  const room = request.max_tokens ?? 100;
  const overrun = JSON.stringify(request.messages ?? []).includes(overrunMarker);
  return { kind: 'ok' as const, text: Array.from({ length: overrun ? room + 50 : room - 2 }, () => 'word').join(' ') };
};

const createPlan = `mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } } }`;
const setBudget = `mutation($usd: Float!) { setBudget(amountUsd: $usd) { leftUsd } }`;
const addWebhook = `mutation($input: AddWebhookInput!) { addWebhook(input: $input) { id urlHint } }`;
/** The secret parts of the webhook URLs: they may appear nowhere but in the webhooks' own requests. */
const slackPath = 'services/T0AIORG/B0AIORG/slack-secret-4f8a1c';
const discordPath = 'api/webhooks/1234567890/discord-secret-9b2e7d';

describe('observability of the running stack, read by a real Prometheus', () => {
  let llm: FakeLlmServer;
  let busy: Harness;
  let stuck: Harness;
  let notified: Harness;
  let receiver: WebhookReceiver;
  let redis: Redis;
  let notifications: NotificationQueues;
  let stack: RunningStack;
  let prometheus: RunningPrometheus;
  let gql: ReturnType<typeof graphqlClient>;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    llm.setResponder(answerFillingTheReservation);
    busy = await createHarness();
    stuck = await createHarness();
    notified = await createHarness();
    receiver = await startWebhookReceiver();
    redis = createRedisClient(notified.config.redis.url, 'worker', 'test-observability');
    await redis.connect();
    notifications = new NotificationQueues(redis, notified.config.notifications);
    stack = await startStack(
      {
        WORKER_TENANTS: [busy.tenant, stuck.tenant, notified.tenant].join(','),
        DEFAULT_TENANT: '',
        ADMIN_TOKEN: adminToken,
        BUDGET_MIN_LEFT_USD: '0',
        ORCHESTRATOR_INTERVAL_MS: '300',
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: llm.url,
        LLM_TIMEOUT_MS: '10000',
        JOB_BACKOFF_MS: '100',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_BACKOFF_MS: '100',
      },
      // Three processes compiling at once on a busy CI machine can take longer than the default 30 s.
      { startupDeadline: 60_000 },
    );
    gql = graphqlClient(stack.apiUrl, adminToken);
    prometheus = await startPrometheus(stack.metricsTargets);
    // Every target scraped once before the workload, so rate() over it sees the change.
    await prometheus.targetsUp(30_000);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await stack?.stop();
    await busy?.close();
    await stuck?.close();
    await notified?.close();
    await receiver?.close();
    await notifications?.close();
    redis?.disconnect();
    await llm?.close();
  });

  it('sends one message to each configured webhook when a budget crosses its threshold', async () => {
    const hooks = [
      { channel: 'SLACK', url: receiver.url(slackPath) },
      { channel: 'DISCORD', url: receiver.url(discordPath) },
    ];
    for (const input of hooks) {
      const { addWebhook: hook } = await gql<{ addWebhook: { urlHint: string } }>(notified.tenant, addWebhook, {
        input,
      });
      expect(hook.urlHint).not.toContain('secret');
    }
    // One task that spends 2/3 of the budget: the 50 % threshold is crossed, and no other.
    const { createPlan: plan } = await gql<{ createPlan: { tasks: { id: string }[] } }>(notified.tenant, createPlan, {
      input: { tasks: [{ key: 'only', description: 'Write the changelog', owner: 'dev', tokensPlan: 2 }] },
    });
    await gql(notified.tenant, setBudget, { usd: 0.0015 });
    expect((await notified.waitForStatus(plan.tasks[0]?.id ?? '', 'done', 'failed')).status).toBe('done');

    // Wait for the budget message itself: the plan-finished one may come first (a tick between the
    // worker marking the task done and settling its spend sees the plan finished, the spend not yet).
    // Then nothing is left to send, and nothing more arrives.
    const budgetMessages = (path: string) =>
      receiver.received(path).filter((r) => JSON.stringify(r.body).includes('Budget 50% spent'));
    const finished = (path: string) =>
      receiver.received(path).some((r) => JSON.stringify(r.body).includes('Plan finished'));
    const arrived = () => [slackPath, discordPath].every((p) => finished(p) && budgetMessages(p).length > 0);
    await expect.poll(arrived, { timeout: 30_000 }).toBe(true);
    const pending = async () => {
      const counts = await notifications.queue(notified.tenant).getJobCounts('waiting', 'active', 'delayed');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    };
    await expect.poll(pending, { timeout: 30_000 }).toBe(0);

    expect(budgetMessages(slackPath)).toHaveLength(1);
    expect(budgetMessages(discordPath)).toHaveLength(1);
    expect(budgetMessages(slackPath)[0]?.body).toMatchObject({ text: expect.stringContaining('Budget 50% spent') });
    expect(budgetMessages(discordPath)[0]?.body).toMatchObject({ embeds: [expect.any(Object)] });
    for (const path of [slackPath, discordPath]) {
      expect(receiver.received(path).filter((r) => JSON.stringify(r.body).includes('Budget'))).toHaveLength(1);
    }
  }, 90_000);

  it('answers every dashboard panel query and every alert rule with at least one series after a small workload', async () => {
    // A tenant that works: two tasks done, one cut off (failed, charged in full), one blocked by it,
    // and a budget that just pays for all of it (the spend crosses 50, 80 and 95 %).
    const { createPlan: plan } = await gql<{ createPlan: { tasks: { key: string; id: string }[] } }>(
      busy.tenant,
      createPlan,
      {
        input: {
          tasks: [
            { key: 'api', description: 'Build the REST endpoint', owner: 'dev', tokensPlan: 4, businessValue: 5 },
            { key: 'tests', description: 'Test the endpoint', owner: 'qa', tokensPlan: 4, businessValue: 3 },
            { key: 'ui', description: `Sketch the screen ${overrunMarker}`, owner: 'ux_ui', tokensPlan: 1 },
            { key: 'events', description: 'Count the clicks', owner: 'telemetry', tokensPlan: 1 },
          ],
          // (Not `tests` after `api`: the answers fill their reservations, and so would the QA prompt.)
          dependencies: [{ from: 'events', to: 'ui' }],
        },
      },
    );
    const id = Object.fromEntries(plan.tasks.map((task) => [task.key, task.id]));
    // A tenant whose dev queue is paused: its job waits with no worker taking it (a stuck queue).
    await stuck.queues.queue(stuck.tenant, 'dev').pause();
    await gql(stuck.tenant, createPlan, {
      input: { tasks: [{ key: 'only', description: 'Wait forever', owner: 'dev', tokensPlan: 2 }] },
    });
    await gql(stuck.tenant, setBudget, { usd: 0.01 });
    await gql(busy.tenant, setBudget, { usd: 0.0045 }); // 4k + 4k + 1k tokens at 0.0005 USD per 1k

    const settled = async (key: string) =>
      (await busy.waitForStatus(id[key] ?? '', 'done', 'failed', 'blocked')).status;
    expect(await settled('api')).toBe('done');
    expect(await settled('tests')).toBe('done');
    expect(await settled('ui')).toBe('failed');
    expect(await settled('events')).toBe('blocked');

    const queries = panelAndRuleQueries();
    expect(queries.length).toBeGreaterThan(20);
    const withoutData = async () => {
      const empty: string[] = [];
      for (const { where, expr } of queries) {
        const result = await prometheus.query(expr);
        if (!result.ok) empty.push(`${where}: PromQL error ${result.error} in ${expr}`);
        else if (!result.samples.some((sample) => sample.value[1] !== 'NaN'))
          empty.push(`${where}: no data for ${expr}`);
      }
      return empty;
    };
    await expect.poll(withoutData, { timeout: 60_000, interval: 1_000 }).toEqual([]);

    const rules = await prometheus.rules();
    expect(rules.map((rule) => `${rule.name}:${rule.health}`)).not.toContainEqual(expect.stringMatching(/:err$/));
  }, 150_000);

  it('logs JSON lines carrying tenant, task and job ids, and never a webhook URL', () => {
    const lines = stack
      .output('workers')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.tenant === busy.tenant && line.msg === 'task done')).toMatchObject({
      process: 'workers',
      task: expect.stringMatching(/^[0-9a-z]{8}$/),
      job: expect.stringMatching(/^[0-9a-z]{8}\.\d+$/),
      role: expect.any(String),
    });
    for (const name of ['api', 'workers', 'orchestrator'] as const) {
      expect(stack.output(name)).not.toContain('slack-secret');
      expect(stack.output(name)).not.toContain('discord-secret');
    }
  });
});
