import type { Logger, NotificationEvent, NotificationQueues } from '@ai-org/core';
import type { WebhookRepository } from '@ai-org/schema';
import { notificationEventKey } from './notification-event';

export interface NotificationPublisherDeps {
  readonly webhooks: Pick<WebhookRepository, 'list'>;
  readonly queues: Pick<NotificationQueues, 'publish'>;
  readonly logger: Logger;
}

/**
 * Turns an event of a tenant into one notification job per webhook of that tenant. Never throws: a
 * notification that cannot be queued is logged, and whatever raised the event carries on.
 */
export class NotificationPublisher {
  constructor(private readonly deps: NotificationPublisherDeps) {}

  /** Returns how many jobs were queued (a job queued before for the same occurrence counts too). */
  async publish(tenantId: string, event: NotificationEvent): Promise<number> {
    const eventKey = notificationEventKey(event);
    const log = this.deps.logger.child({ tenant: tenantId, event: event.kind, eventKey });
    let webhooks: Awaited<ReturnType<WebhookRepository['list']>>;
    try {
      webhooks = await this.deps.webhooks.list(tenantId);
    } catch (error) {
      log.warn({ err: error }, 'could not read the webhooks; notification not sent');
      return 0;
    }
    let queued = 0;
    for (const webhook of webhooks) {
      try {
        await this.deps.queues.publish({ tenantId, webhookId: webhook.id, eventKey, event });
        queued += 1;
      } catch (error) {
        log.warn({ err: error, webhook: webhook.id }, 'could not queue a notification');
      }
    }
    if (queued > 0) log.info({ webhooks: queued }, 'notification queued');
    return queued;
  }
}
