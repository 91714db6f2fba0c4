import { createRedisClient, loadConfig, NotificationQueues } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, type GraphQLResponse, startTestApp, type TestApp, uniqueTenant } from './test-app';

interface WebhookOut {
  id: string;
  channel: 'SLACK' | 'DISCORD';
  urlHint: string;
  createdAt: string;
}

const slackUrl = 'https://hooks.slack.com/services/T0TEST/B0TEST/slackSECRETtoken-wXyZ';
const discordUrl = 'https://discord.com/api/webhooks/1234567890/discordSECRETtoken-AbCd';
const secrets = ['slackSECRETtoken', 'discordSECRETtoken', 'evilSECRET'];

const webhookFields = 'id channel urlHint createdAt';

/** Fails when any part of a secret URL is anywhere in a response. */
const expectNoSecret = (response: GraphQLResponse<unknown>) => {
  const body = JSON.stringify(response);
  for (const secret of secrets) expect(body).not.toContain(secret);
};

const expectCode = (response: GraphQLResponse<unknown>, code: string) => {
  expect(codesOf(response)).toEqual([code]);
  expect(codesOf(response)).not.toContain('INTERNAL_SERVER_ERROR');
  expectNoSecret(response);
};

describe('notification webhooks over GraphQL', () => {
  let t: TestApp;
  const tenant = uniqueTenant('ntf');
  const other = uniqueTenant('ntf-o');
  const config = loadConfig(process.env);
  const redis = createRedisClient(config.redis.url, 'worker', 'test-notifications-api');
  const queues = new NotificationQueues(redis, { attempts: 1, backoffMs: 0 });

  const addWebhook = (channel: string, url: string, as = tenant) =>
    t.gql<{ addWebhook: WebhookOut }>(
      `mutation($input: AddWebhookInput!) { addWebhook(input: $input) { ${webhookFields} } }`,
      { input: { channel, url } },
      as,
    );
  const listWebhooks = (as = tenant) => t.gql<{ webhooks: WebhookOut[] }>(`{ webhooks { ${webhookFields} } }`, {}, as);
  const storedCount = async (tenantId: string) => {
    const { records } = await t.bolt.executeQuery('MATCH (w:Webhook {tenantId: $tenantId}) RETURN count(w) AS n', {
      tenantId,
    });
    return Number(records[0]?.get('n'));
  };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com,discord.com,127.0.0.1' });
  });
  afterAll(async () => {
    for (const tenantId of [tenant, other]) await queues.queue(tenantId).obliterate({ force: true });
    await queues.close();
    redis.disconnect();
    await t.bolt.executeQuery('MATCH (w:Webhook) WHERE w.tenantId IN $ids DETACH DELETE w', { ids: [tenant, other] });
    await deleteTenants(t.bolt, tenant, other);
    await t.stop();
  });

  it('adds Slack and Discord webhooks and only ever answers with a masked URL', async () => {
    const slack = await addWebhook('SLACK', slackUrl);
    expect(slack.errors).toBeUndefined();
    expect(slack.data?.addWebhook).toMatchObject({ channel: 'SLACK', urlHint: 'https://hooks.slack.com/…/••••wXyZ' });
    expect(slack.data?.addWebhook.id).toMatch(/^[0-9a-z]{12}$/);
    const discord = await addWebhook('DISCORD', discordUrl);
    expect(discord.data?.addWebhook).toMatchObject({ channel: 'DISCORD', urlHint: 'https://discord.com/…/••••AbCd' });

    const list = await listWebhooks();
    expect(list.data?.webhooks.map((w) => [w.channel, w.urlHint])).toEqual([
      ['SLACK', 'https://hooks.slack.com/…/••••wXyZ'],
      ['DISCORD', 'https://discord.com/…/••••AbCd'],
    ]);
    for (const response of [slack, discord, list]) expectNoSecret(response);
    // Stored in full, where only the workers read it.
    const { records } = await t.bolt.executeQuery('MATCH (w:Webhook {tenantId: $tenant}) RETURN w.url AS url', {
      tenant,
    });
    expect(records.map((r) => r.get('url')).sort()).toEqual([discordUrl, slackUrl].sort());
  });

  it('returns the stored webhook when the same one is added again', async () => {
    const first = await addWebhook('SLACK', slackUrl);
    const again = await addWebhook('SLACK', slackUrl);
    expect(again.data?.addWebhook.id).toBe(first.data?.addWebhook.id);
    expect(await storedCount(tenant)).toBe(2);
  });

  it.each([
    ['plain http to a non-loopback host', 'SLACK', 'http://hooks.slack.com/services/T/B/evilSECRET'],
    ['a scheme other than https', 'SLACK', 'ftp://hooks.slack.com/services/T/B/evilSECRET'],
    ['a host that is not allowed', 'SLACK', 'https://evil.example.com/services/T/B/evilSECRET'],
    ['a look-alike host', 'DISCORD', 'https://discord.com.evil.example/api/webhooks/1/evilSECRET'],
    ['a Slack URL on the Discord channel', 'DISCORD', 'https://hooks.slack.com/services/T/B/evilSECRET'],
    ['something that is not a URL', 'SLACK', 'evilSECRET'],
    ['loopback spelled 0x7f000001, on the Redis port', 'SLACK', 'http://0x7f000001:6379/evilSECRET'],
    ['loopback spelled 2130706433, without a port', 'SLACK', 'http://2130706433/evilSECRET'],
  ])('refuses %s with BAD_USER_INPUT, stores nothing and does not echo the URL', async (_name, channel, url) => {
    const fresh = uniqueTenant('ntf-bad');
    const response = await addWebhook(channel, url, fresh);
    expectCode(response, 'BAD_USER_INPUT');
    expect(response.data).toBeNull();
    expect(await storedCount(fresh)).toBe(0);
  });

  it('refuses an unknown channel with BAD_USER_INPUT', async () => {
    const response = await addWebhook('TEAMS', slackUrl);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(response)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it("keeps each tenant's webhooks to itself", async () => {
    const mine = await addWebhook('DISCORD', 'https://discord.com/api/webhooks/42/otherTenantHook-QrSt', other);
    expect(mine.errors).toBeUndefined();
    expect((await listWebhooks(other)).data?.webhooks.map((w) => w.urlHint)).toEqual([
      'https://discord.com/…/••••QrSt',
    ]);
    const ours = (await listWebhooks()).data?.webhooks ?? [];
    expect(ours.map((w) => w.id)).not.toContain(mine.data?.addWebhook.id);
    expect(ours).toHaveLength(2);
  });

  it("answers NOT_FOUND for another tenant's webhook and for an unknown id, alike, and changes nothing", async () => {
    const [theirs] = (await listWebhooks(other)).data?.webhooks ?? [];
    for (const id of [theirs?.id, 'zzzzzzzzzzzz', 'not-an-id']) {
      const removed = await t.gql(`mutation($id: ID!) { removeWebhook(id: $id) { id } }`, { id }, tenant);
      expectCode(removed, 'NOT_FOUND');
      const tested = await t.gql(`mutation($id: ID!) { testWebhook(id: $id) { jobId } }`, { id }, tenant);
      expectCode(tested, 'NOT_FOUND');
    }
    expect(await storedCount(other)).toBe(1);
    expect(await queues.queue(other).getJobCounts('waiting', 'delayed', 'active')).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
    });
  });

  it('queues a test message that carries the webhook id, never its URL', async () => {
    const [slack] = (await listWebhooks()).data?.webhooks ?? [];
    const response = await t.gql<{ testWebhook: { jobId: string; webhook: WebhookOut } }>(
      `mutation($id: ID!) { testWebhook(id: $id) { jobId webhook { ${webhookFields} } } }`,
      { id: slack?.id },
      tenant,
    );
    expect(response.errors).toBeUndefined();
    expectNoSecret(response);
    const jobId = response.data?.testWebhook.jobId ?? '';
    expect(jobId).toMatch(new RegExp(`^${tenant}\\.test-[0-9a-z]{12}\\.${slack?.id}$`));
    const job = await queues.queue(tenant).getJob(jobId);
    expect(job?.data).toMatchObject({ tenantId: tenant, webhookId: slack?.id, event: { kind: 'test' } });
    expect(JSON.stringify(job?.data)).not.toContain('hooks.slack.com');
  });

  it('removes a webhook, after which it is gone from the list', async () => {
    const [slack] = (await listWebhooks()).data?.webhooks ?? [];
    const removed = await t.gql<{ removeWebhook: WebhookOut }>(
      `mutation($id: ID!) { removeWebhook(id: $id) { ${webhookFields} } }`,
      { id: slack?.id },
      tenant,
    );
    expect(removed.data?.removeWebhook).toEqual(slack);
    expect((await listWebhooks()).data?.webhooks.map((w) => w.id)).not.toContain(slack?.id);
    const again = await t.gql(`mutation($id: ID!) { removeWebhook(id: $id) { id } }`, { id: slack?.id }, tenant);
    expectCode(again, 'NOT_FOUND');
  });

  it('asks for a tenant', async () => {
    const response = await t.gql('{ webhooks { id } }', {}, null);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });
});
