import type { AgentJob, Logger } from '@ai-org/core';
import type { Announcer, TaskHoldRepository } from '@ai-org/schema';
import type { Job } from 'bullmq';
import type { TenantLimitError } from './tenant-limit-error';

export interface LimitHoldDeps {
  readonly holds: Pick<TaskHoldRepository, 'markHeld'>;
  readonly announcer: Announcer;
  readonly metrics: { countLimitRefusal(tenant: string, kind: TenantLimitError['kind']): void };
  readonly logger: Logger;
  /** How long a job refused a running slot waits before it asks again (±25 %). */
  readonly slotRetryMs: number;
}

/**
 * Puts a job a tenant limit refused back on its queue, delayed, without using an attempt, and makes
 * the wait visible: the refusal metric, the task's statusReason (status unchanged) and its live event.
 */
export class LimitHold {
  constructor(private readonly deps: LimitHoldDeps) {}

  async hold(job: Job, token: string, data: AgentJob, refusal: TenantLimitError): Promise<number> {
    const { logger } = this.deps;
    this.deps.metrics.countLimitRefusal(data.tenantId, refusal.kind);
    const delayMs = this.delayOf(refusal);
    await this.mark(data, refusal.reason).catch((error: unknown) =>
      logger.warn({ err: error, task: data.taskId }, 'could not mark the task as held by a tenant limit'),
    );
    logger.info({ tenant: data.tenantId, task: data.taskId, limit: refusal.kind, delayMs }, refusal.reason);
    await job.moveToDelayed(Date.now() + delayMs, token);
    return delayMs;
  }

  private delayOf(refusal: TenantLimitError): number {
    const jitter = 0.75 + Math.random() * 0.5;
    if (refusal.kind === 'running_jobs') return Math.round(this.deps.slotRetryMs * jitter);
    // Just after the next window starts, spread so held jobs do not all arrive at once.
    return refusal.retryInMs + Math.round(Math.random() * Math.min(1_000, this.deps.slotRetryMs));
  }

  private async mark(data: AgentJob, reason: string): Promise<void> {
    const held = await this.deps.holds.markHeld({
      tenantId: data.tenantId,
      taskId: data.taskId,
      dispatchId: data.dispatchId,
      reason,
    });
    if (held.state === 'marked') await this.deps.announcer.announce(data.tenantId, [data.taskId]);
  }
}
