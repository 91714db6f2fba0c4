import {
  type Logger,
  type NotificationChannel,
  type NotificationJob,
  type NotificationJobResult,
  notificationJobSchema,
  type notificationOutcomes,
} from '@ai-org/core';
import { notificationPayload } from '@ai-org/domain';
import type { WebhookRepository } from '@ai-org/schema';
import { type Job, UnrecoverableError } from 'bullmq';
import { isJobError, PermanentJobError } from '../jobs/job-errors';
import type { WorkerMetrics } from '../worker-metrics';
import type { WebhookSender } from './webhook.sender';

export interface NotificationProcessorDeps {
  readonly webhooks: Pick<WebhookRepository, 'get'>;
  readonly send: WebhookSender;
  readonly metrics: WorkerMetrics;
  /** Each job logs with its tenant, webhook and job ids; never the URL. */
  readonly logger: Logger;
}

type Outcome = (typeof notificationOutcomes)[number];

const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/**
 * One notification job: load the webhook by id (its URL never travels in the job), format the event
 * for the webhook's channel, POST it. A deleted webhook drops the job; a 4xx fails it for good; 429,
 * 5xx and timeouts are retried by BullMQ with backoff.
 */
export class NotificationProcessor {
  constructor(private readonly deps: NotificationProcessorDeps) {}

  readonly process = async (job: Job): Promise<NotificationJobResult> => {
    const parsed = notificationJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid notification job: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    }
    const data: NotificationJob = parsed.data;
    const log = this.deps.logger.child({
      tenant: data.tenantId,
      webhook: data.webhookId,
      event: data.event.kind,
      job: job.id,
      attempt: job.attemptsMade + 1,
    });
    const webhook = await this.deps.webhooks.get(data.tenantId, data.webhookId);
    if (!webhook) {
      log.info('webhook was removed; notification dropped');
      return { outcome: 'dropped' };
    }
    try {
      await this.deps.send(webhook.url, notificationPayload(webhook.channel, data.tenantId, data.event));
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const outcome: Outcome = permanent || isLastAttempt(job) ? 'failed' : 'retry';
      this.count(webhook.channel, data, outcome);
      // Only our own errors are logged with their message: anything else might quote the URL.
      const reason = isJobError(error) ? error.message : 'unexpected error';
      if (outcome === 'retry') log.warn({ reason }, 'notification not delivered; retried with backoff');
      else log.error({ reason }, 'notification not delivered; giving up');
      if (permanent) throw new UnrecoverableError(reason);
      throw isJobError(error) ? error : new Error(reason);
    }
    this.count(webhook.channel, data, 'sent');
    log.info({ channel: webhook.channel }, 'notification sent');
    return { outcome: 'sent' };
  };

  private count(channel: NotificationChannel, data: NotificationJob, outcome: Outcome): void {
    this.deps.metrics.notifications.inc({ channel, event: data.event.kind, outcome });
  }
}
