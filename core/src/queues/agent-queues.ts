import { type JobType, Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-client';
import {
  type AgentJob,
  type AgentRole,
  agentJobOptions,
  agentQueueName,
  agentRoles,
  isAgentRole,
} from './agent-queue.contract';
import { queuePrefix } from './queue-prefix';

/** Producer side of the role queues: one BullMQ Queue per tenant and role, created on first use. */
export class AgentQueues {
  private readonly queues = new Map<string, Queue<AgentJob>>();

  constructor(
    private readonly connection: RedisClient,
    private readonly options: { readonly attempts: number; readonly backoffMs: number },
  ) {}

  queue(tenantId: string, role: AgentRole): Queue<AgentJob> {
    const name = agentQueueName(tenantId, role);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<AgentJob>(name, { connection: this.connection, prefix: queuePrefix(tenantId) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Publishes a job whose id is its dispatch id, so the same dispatch is never queued twice. */
  async publish(job: AgentJob): Promise<string> {
    const queue = this.queue(job.tenantId, job.role);
    await queue.add(job.role, job, agentJobOptions(job.dispatchId, this.options.attempts, this.options.backoffMs));
    return queue.name;
  }

  /**
   * Publishes many jobs with one `addBulk` per queue (a queue's jobs are added together or not at all).
   * Per job, in the order given: its queue's name, or why its queue's add failed.
   */
  async publishMany(jobs: readonly AgentJob[]): Promise<PromiseSettledResult<string>[]> {
    const byQueue = new Map<Queue<AgentJob>, AgentJob[]>();
    for (const job of jobs) {
      const queue = this.queue(job.tenantId, job.role);
      const queued = byQueue.get(queue);
      if (queued) queued.push(job);
      else byQueue.set(queue, [job]);
    }
    const added = new Map<Queue<AgentJob>, Promise<unknown>>(
      [...byQueue].map(([queue, queued]) => [
        queue,
        queue.addBulk(
          queued.map((job) => ({
            name: job.role,
            data: job,
            opts: agentJobOptions(job.dispatchId, this.options.attempts, this.options.backoffMs),
          })),
        ),
      ]),
    );
    return Promise.allSettled(
      jobs.map(async (job) => {
        const queue = this.queue(job.tenantId, job.role);
        await added.get(queue);
        return queue.name;
      }),
    );
  }

  /**
   * Whether job `jobId` is on the tenant's `role` queue and has not ended (a job that completed or
   * failed for good, or one Redis no longer has, is not pending). False for a role without a queue.
   */
  async isPending(tenantId: string, role: string | null, jobId: string): Promise<boolean> {
    if (!isAgentRole(role)) return false;
    const job = await this.queue(tenantId, role).getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed';
  }

  /** A tenant's job counts in the given states, role by role (BullMQ's getJobCounts). */
  jobCounts(tenantId: string, ...states: JobType[]): Promise<{ role: AgentRole; counts: Record<string, number> }[]> {
    return Promise.all(
      agentRoles.map(async (role) => ({ role, counts: await this.queue(tenantId, role).getJobCounts(...states) })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
