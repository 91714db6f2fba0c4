import { queuePrefix, type RedisClient } from '@ai-org/core';
import { type BackoffStrategy, type Job, Worker } from 'bullmq';

export interface WorkerPoolOptions {
  readonly connection: RedisClient;
  /** The tenants to serve; called again every `refreshMs` so new tenants get workers. */
  readonly tenants: () => Promise<readonly string[]>;
  /** The queues one tenant has in this pool (its role queues, or its notification queue). */
  readonly queuesOf: (tenantId: string) => readonly string[];
  readonly process: (job: Job) => Promise<unknown>;
  /** Jobs at once per queue. */
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs?: number;
  /** The custom backoff the queue's jobs ask for by `type`. */
  readonly backoff: { readonly type: string; readonly strategy: BackoffStrategy };
  readonly refreshMs: number;
  readonly shutdownTimeoutMs: number;
  readonly onError: (error: unknown, queue: string) => void;
  /**
   * BullMQ failed a job for stalling too often (its worker died running it each time): called in the
   * worker that picked it up and failed it, without running the processor.
   */
  readonly onStalledOut?: (job: Job) => Promise<void>;
}

/**
 * One BullMQ worker per queue of each served tenant, created as tenants appear, closed in bounded
 * time. Each pool has its own slots: the role workers' and the notification workers' never mix.
 */
export class WorkerPool {
  private readonly workers = new Map<string, Worker>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkerPoolOptions) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.options.onError(error, '(tenant refresh)'));
    }, this.options.refreshMs);
  }

  get queueNames(): string[] {
    return [...this.workers.keys()];
  }

  async refresh(): Promise<void> {
    const { backoff } = this.options;
    for (const tenantId of await this.options.tenants()) {
      for (const name of this.options.queuesOf(tenantId)) {
        if (this.workers.has(name)) continue;
        const worker = new Worker(name, this.options.process, {
          connection: this.options.connection,
          // The producers' prefix (core/src/queues/queue-prefix.ts): the tenant's hash tag.
          prefix: queuePrefix(tenantId),
          concurrency: this.options.concurrency,
          lockDuration: this.options.lockDurationMs,
          ...(this.options.stalledIntervalMs !== undefined && { stalledInterval: this.options.stalledIntervalMs }),
          settings: {
            backoffStrategy: (attemptsMade, type, error, job) =>
              type === backoff.type ? backoff.strategy(attemptsMade, type, error, job) : 0,
          },
        });
        worker.on('error', (error) => this.options.onError(error, name));
        const { onStalledOut } = this.options;
        if (onStalledOut) {
          worker.on('failed', (job) => {
            if (!job?.deferredFailure) return;
            onStalledOut(job).catch((error: unknown) => this.options.onError(error, name));
          });
        }
        this.workers.set(name, worker);
      }
    }
  }

  /**
   * Stops taking jobs and waits up to `shutdownTimeoutMs` for active ones; then closes hard. A job
   * cut off that way is picked up again by another worker after the stall interval.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const workers = [...this.workers.values()];
    this.workers.clear();
    let timeout: NodeJS.Timeout | undefined;
    const graceful = Promise.all(workers.map((worker) => worker.close())).then(() => true);
    const timedOut = new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs);
    });
    const closed = await Promise.race([graceful, timedOut]);
    clearTimeout(timeout);
    if (!closed) await Promise.all(workers.map((worker) => worker.close(true)));
  }
}
