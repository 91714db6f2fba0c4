import type { NotificationChannel } from '@ai-org/core';
import type { TestWebhookResult, WebhookView } from '@ai-org/domain';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/**
 * A tenant's Slack and Discord webhooks. URLs are secrets: they go in through `addWebhook` and never
 * come out (only `urlHint`). Webhooks are stored outside the generated schema, so only these
 * operations reach them, always for the caller's tenant.
 */
export const addNotificationSchema = (builder: Builder): void => {
  const WebhookChannelRef = builder.enumType('WebhookChannel', {
    values: {
      SLACK: {
        value: 'slack' as NotificationChannel,
        description: 'Slack incoming webhook: https://hooks.slack.com/services/…',
      },
      DISCORD: {
        value: 'discord' as NotificationChannel,
        description: 'Discord webhook: https://discord.com/api/webhooks/…',
      },
    },
  });

  const WebhookRef = builder.objectRef<WebhookView>('Webhook').implement({
    description: 'Where notifications go: budget thresholds crossed, failed tasks, expensive failures, finished plans.',
    fields: (t) => ({
      id: t.exposeID('id'),
      channel: t.expose('channel', { type: WebhookChannelRef }),
      urlHint: t.exposeString('urlHint', {
        description: 'The URL masked to scheme, host and its last four characters; the URL itself is never returned.',
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const AddWebhookInput = builder.inputType('AddWebhookInput', {
    fields: (t) => ({
      channel: t.field({ type: WebhookChannelRef, required: true }),
      url: t.string({ required: true, description: 'https URL on an allowed host (WEBHOOK_ALLOWED_HOSTS).' }),
    }),
  });

  const TestWebhookPayloadRef = builder.objectRef<TestWebhookResult>('TestWebhookPayload').implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (result) => result.webhook }),
      jobId: t.exposeString('jobId', { description: 'The queued message: <tenant>.<event key>.<webhook id>.' }),
    }),
  });

  builder.queryFields((t) => ({
    webhooks: t.field({
      authScopes: { tenantRole: 'owner' },
      type: [WebhookRef],
      description: "The tenant's notification webhooks, oldest first.",
      resolve: (_root, _args, ctx) => ctx.services.notifications.list(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    addWebhook: t.field({
      authScopes: { tenantRole: 'owner' },
      type: WebhookRef,
      description:
        'Adds a Slack or Discord webhook (adding the same one again returns it). BAD_USER_INPUT for a bad URL.',
      args: { input: t.arg({ type: AddWebhookInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.notifications.add(requireTenant(ctx), input),
    }),
    removeWebhook: t.field({
      authScopes: { tenantRole: 'owner' },
      type: WebhookRef,
      description:
        'Removes one of the tenant’s webhooks; messages still queued for it are dropped. NOT_FOUND otherwise.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.notifications.remove(requireTenant(ctx), args.id),
    }),
    testWebhook: t.field({
      authScopes: { tenantRole: 'owner' },
      type: TestWebhookPayloadRef,
      description: 'Queues a test message to one of the tenant’s webhooks (sent by the workers). NOT_FOUND otherwise.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.notifications.test(requireTenant(ctx), args.id),
    }),
  }));
};
