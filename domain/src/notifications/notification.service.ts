import {
  AppError,
  badInput,
  type NotificationChannel,
  type NotificationQueues,
  notFound,
  notificationChannels,
  parseInput,
  webhookIdPattern,
} from '@ai-org/core';
import type { WebhookRecord, WebhookRepository } from '@ai-org/schema';
import { z } from 'zod';
import { notificationEventKey, testEvent } from './notification-event';
import { checkWebhookUrl, maskWebhookUrl } from './webhook-url';

/** A webhook as the API shows it: the URL only as a masked hint. */
export interface WebhookView {
  readonly id: string;
  readonly channel: NotificationChannel;
  /** `https://hooks.slack.com/…/••••wXyZ` */
  readonly urlHint: string;
  readonly createdAt: string;
}

export interface TestWebhookResult {
  readonly webhook: WebhookView;
  readonly jobId: string;
}

/** Webhooks per tenant: each event becomes one job per webhook. */
export const maxWebhooksPerTenant = 10;

const addWebhookSchema = z.object({ channel: z.enum(notificationChannels), url: z.string() });

export const toWebhookView = (webhook: WebhookRecord): WebhookView => ({
  id: webhook.id,
  channel: webhook.channel,
  urlHint: maskWebhookUrl(webhook.url),
  createdAt: webhook.createdAt,
});

/** Tenants' Slack and Discord webhooks, as the API manages them: validated in, masked out. */
export class NotificationService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly queues: NotificationQueues,
    private readonly options: { readonly allowedHosts: readonly string[]; readonly ownServicePorts: readonly number[] },
  ) {}

  async list(tenantId: string): Promise<WebhookView[]> {
    return (await this.webhooks.list(tenantId)).map(toWebhookView);
  }

  /** Stores a webhook (adding the same one again returns it). Nothing is stored on bad input. */
  async add(tenantId: string, input: unknown): Promise<WebhookView> {
    const { channel, url } = parseInput(addWebhookSchema, input, 'webhook');
    const check = checkWebhookUrl(url, channel, this.options.allowedHosts, this.options.ownServicePorts);
    // The message names the problem, never the URL (a secret).
    if (!check.ok)
      throw badInput(`Invalid webhook: url ${check.problem}`, { problems: [{ path: 'url', message: check.problem }] });
    const outcome = await this.webhooks.add(tenantId, { channel, url: check.url }, maxWebhooksPerTenant);
    if (outcome.status === 'limit') {
      throw new AppError('CONFLICT', `A tenant may have at most ${maxWebhooksPerTenant} webhooks; remove one first`);
    }
    return toWebhookView(outcome.webhook);
  }

  async remove(tenantId: string, id: string): Promise<WebhookView> {
    const removed = webhookIdPattern.test(id) ? await this.webhooks.remove(tenantId, id) : null;
    if (!removed) throw unknownWebhook(id);
    return toWebhookView(removed);
  }

  /** Queues a test message to one of the tenant's webhooks; the notification worker sends it. */
  async test(tenantId: string, id: string): Promise<TestWebhookResult> {
    const webhook = webhookIdPattern.test(id) ? await this.webhooks.get(tenantId, id) : null;
    if (!webhook) throw unknownWebhook(id);
    const event = testEvent();
    const jobId = await this.queues.publish({
      tenantId,
      webhookId: webhook.id,
      eventKey: notificationEventKey(event),
      event,
    });
    return { webhook: toWebhookView(webhook), jobId };
  }
}

/** The same answer for an id that does not exist and one of another tenant. */
const unknownWebhook = (id: string): AppError =>
  notFound(`No webhook ${id.slice(0, 40)} for this tenant`, { webhookId: id.slice(0, 40) });
