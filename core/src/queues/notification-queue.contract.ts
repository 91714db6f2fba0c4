import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { queueSeparator } from './agent-queue.contract';

/** Where a tenant's webhooks point; each has its own payload shape (Slack `text`/`blocks`, Discord `content`/`embeds`). */
export const notificationChannels = ['slack', 'discord'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/**
 * Each tenant has one notification queue, `<tenant>.notifications`, next to (never among) its role
 * queues: a slow or failing webhook only ever holds up that tenant's other messages, and a workers
 * process serving some tenants (WORKER_TENANTS) sends only theirs.
 */
export const notificationQueueName = (tenantId: string): string => `${tenantId}${queueSeparator}notifications`;

/** Jobs at once per tenant's notification queue (its own Worker, never an agent worker's slots). */
export const notificationConcurrency = 4;

export const webhookIdPattern = /^[0-9a-z]{12}$/;

const taskEvent = {
  taskId: z.string().regex(/^[0-9a-z]{8}$/),
  description: z.string().max(1_000),
  reason: z.string().max(1_000).nullable(),
  /** Which run of the task failed (its dispatch count): a re-run that fails again is a new occurrence. */
  dispatchCount: z.number().int().nonnegative().optional(),
};

/** What happened. Never secrets: the job carries this, the worker loads the webhook's URL itself. */
export const notificationEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('budget_threshold'),
    /** The highest threshold crossed (percent of the funded budget spent); one message per crossing. */
    thresholdPercent: z.number().int().min(0).max(100),
    spentMicroUsd: z.number().int().nonnegative(),
    /** Below zero when a refund or dispute took back more than was left. */
    leftMicroUsd: z.number().int(),
    fundedMicroUsd: z.number().int(),
  }),
  z.object({
    kind: z.literal('payment_failed'),
    /** The automatic reload's own id (one message per attempt). */
    attemptId: z.string().regex(/^[0-9a-zA-Z_:-]{1,100}$/),
    amountMicroUsd: z.number().int().positive(),
    /** Stripe's decline message, bounded; never card details. */
    reason: z.string().max(500),
  }),
  z.object({ kind: z.literal('task_failed'), ...taskEvent }),
  z.object({ kind: z.literal('expensive_failure'), ...taskEvent }),
  z.object({
    kind: z.literal('plan_finished'),
    taskCount: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    blocked: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('test'), nonce: z.string().regex(/^[0-9a-z]{1,32}$/) }),
]);
export type NotificationEvent = z.infer<typeof notificationEventSchema>;
export type NotificationEventKind = NotificationEvent['kind'];
export const notificationEventKinds = notificationEventSchema.options.map(
  (option) => option.shape.kind.value,
) as readonly NotificationEventKind[];
/** What became of one delivery attempt. */
export const notificationOutcomes = ['sent', 'retry', 'failed'] as const;

/** What a notification worker receives: whom (tenant, webhook id) and what. The URL is not in here. */
export const notificationJobSchema = z.object({
  tenantId: z.string().min(1),
  webhookId: z.string().regex(webhookIdPattern),
  /** Identifies the occurrence (e.g. `budget-80-10000000`); with tenant and webhook it is the job id. */
  eventKey: z.string().regex(/^[0-9a-z][0-9a-z-]{0,80}$/),
  event: notificationEventSchema,
});
export type NotificationJob = z.infer<typeof notificationJobSchema>;

export interface NotificationJobResult {
  readonly outcome: 'sent' | 'dropped';
}

/**
 * `<tenant>.<event key>.<webhook id>`: one job per occurrence and webhook, so an event published twice
 * is still sent once. (BullMQ refuses `:` in job ids.)
 */
export const notificationJobId = (job: Pick<NotificationJob, 'tenantId' | 'eventKey' | 'webhookId'>): string =>
  [job.tenantId, job.eventKey, job.webhookId].join(queueSeparator);

/** Name of the backoff strategy notification workers implement (Retry-After for 429, exponential otherwise). */
export const notificationBackoffType = 'notification';

/** Job options in one place: idempotent id, bounded attempts with backoff, bounded retention. */
export const notificationJobOptions = (jobId: string, attempts: number, backoffMs: number): JobsOptions => ({
  jobId,
  attempts,
  backoff: { type: notificationBackoffType, delay: backoffMs },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
});
