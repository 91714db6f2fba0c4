import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-client';
import {
  type NotificationJob,
  notificationJobId,
  notificationJobOptions,
  notificationQueueName,
} from './notification-queue.contract';
import { queuePrefix } from './queue-prefix';

/** Producer side of the notification queues: one BullMQ Queue per tenant, created on first use. */
export class NotificationQueues {
  private readonly queues = new Map<string, Queue<NotificationJob>>();

  constructor(
    private readonly connection: RedisClient,
    private readonly options: { readonly attempts: number; readonly backoffMs: number },
  ) {}

  queue(tenantId: string): Queue<NotificationJob> {
    const name = notificationQueueName(tenantId);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<NotificationJob>(name, { connection: this.connection, prefix: queuePrefix(tenantId) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Queues one message for one webhook; the same occurrence for the same webhook is queued once. Returns the job id. */
  async publish(job: NotificationJob): Promise<string> {
    const jobId = notificationJobId(job);
    await this.queue(job.tenantId).add(
      job.event.kind,
      job,
      notificationJobOptions(jobId, this.options.attempts, this.options.backoffMs),
    );
    return jobId;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
