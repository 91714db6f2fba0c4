import { type AgentJob, type AgentJobResult, agentJobSchema, type Logger, toAppError } from '@ai-org/core';
import type { BudgetService } from '@ai-org/domain';
import type { ChargeDetails, SnapshotAnnouncer, TaskRecord, TaskRunRepository } from '@ai-org/schema';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { outageDelayMs } from '../jobs/job-backoff';
import { isJobError, PermanentJobError } from '../jobs/job-errors';
import type { LimitHold } from '../limits/limit-hold';
import { TenantLimitError } from '../limits/tenant-limit-error';
import type { TenantLimiter } from '../limits/tenant-limiter';
import { type Completion, countMessageTokens, type LlmProvider } from '../llm';
import type { TaskOutcome, WorkerMetrics } from '../worker-metrics';
import { type AgentPrompts, promptTokenCap } from './agent-prompts';
import type { WorkspaceAgent } from './loop/workspace-agent';

export interface RunAgentDeps {
  readonly runs: TaskRunRepository;
  readonly budget: BudgetService;
  readonly llm: LlmProvider;
  readonly prompts: AgentPrompts;
  /** A task that has used more than this many times its planned tokens is failed, not run again. */
  readonly expensiveFailureFactor: number;
  /** Each job logs through a child with its tenant, task and job ids. */
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  /** Announces task changes as live events (they also wake the orchestrator). */
  readonly announcer: SnapshotAnnouncer;
  /** The job backoff's base: a job that met an outage of Neo4j or Redis waits this long, then longer. */
  readonly backoffMs: number;
  /**
   * Tasks of a goal are done by a tool-using agent in the goal's git workspace; without it (and for
   * hand-made tasks, which have no goal) a role job makes one completion and stores its text.
   */
  readonly workspaceAgent?: WorkspaceAgent;
  /**
   * Per-tenant limits across every worker process (docs/limits.md): each job runs in one of its
   * tenant's running slots and each LLM call takes its tokens from the tenant's per-minute window; a
   * job refused either goes back to its queue, delayed, without using an attempt.
   */
  readonly limits?: { readonly limiter: TenantLimiter; readonly hold: LimitHold };
}

/** A failure no retry can fix, with the tokens the failed attempt used (they are charged). */
class PermanentFailure extends PermanentJobError {
  constructor(
    readonly reason: string,
    readonly tokensUsed = 0,
  ) {
    super(reason);
  }
}

/**
 * One agent job: task → prompt → LLM → artifact → tokens and status → budget settled. Idempotent:
 * a redelivered job (crash, stall) finds its artifact and only settles, which charges once.
 */
export class RunAgentProcessor {
  constructor(private readonly deps: RunAgentDeps) {}

  /**
   * A try that met an outage of Neo4j or Redis (unreachable, timed out, pool busy) uses none of the
   * job's attempts: the job waits (`outageDelayMs`) and tries again, for as long as the outage lasts,
   * so an outage never fails a task. Any other error is the job's own (retried, or failed for good).
   */
  readonly process = async (job: Job, token?: string): Promise<AgentJobResult> => {
    const limits = this.deps.limits;
    const parsed = agentJobSchema.safeParse(job.data);
    try {
      if (!limits || !parsed.success) return await this.attempt(job);
      return await limits.limiter.runInSlot(parsed.data.tenantId, `${job.queueName}:${job.id}`, () =>
        this.attempt(job),
      );
    } catch (error) {
      if (error instanceof TenantLimitError && limits && parsed.success && token !== undefined) {
        // A tenant limit holds it back: back on the queue, delayed, no attempt used, the task says why.
        await limits.hold.hold(job, token, parsed.data, error);
        throw new DelayedError();
      }
      if (token === undefined || !isOutage(error)) throw error;
      const retries = Math.max(1, job.attemptsStarted - job.attemptsMade);
      const delayMs = outageDelayMs(this.deps.backoffMs, retries);
      this.deps.logger.warn(
        { err: error, job: job.id, queue: job.queueName, delayMs },
        'a backing service is unavailable; the job waits and tries again without using an attempt',
      );
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  };

  /**
   * BullMQ failed the job for stalling too often: its worker died running it, each time (see
   * `WorkerPool.onStalledOut`). The run that died last may have written its task (done, failed) without
   * announcing it, and no redelivery will: the task is announced as it is now, with the tasks a failure
   * blocked. Its reservation is left to the reservation reconciler, a task still running to recovery.
   */
  readonly afterStalledOut = async (job: Job): Promise<void> => {
    const parsed = agentJobSchema.safeParse(job.data);
    if (!parsed.success) return;
    const data = parsed.data;
    const log = this.deps.logger.child({ tenant: data.tenantId, task: data.taskId, job: data.dispatchId });
    log.warn({ reason: job.deferredFailure }, 'the job stalled too often and was failed; its task is announced');
    // `blockedBy` finds only tasks blocked by this one's failure: none unless it failed.
    await this.announceAsItIs(data, log, true);
  };

  private async attempt(job: Job): Promise<AgentJobResult> {
    const parsed = agentJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid job data: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const data = parsed.data;
    const log = this.deps.logger.child({
      tenant: data.tenantId,
      task: data.taskId,
      job: data.dispatchId,
      role: data.role,
      attempt: job.attemptsMade + 1,
    });
    const startedAt = performance.now();
    let outcome: TaskOutcome = 'failed';
    try {
      const result = await this.run(data, log);
      outcome = 'done';
      return result;
    } catch (error) {
      if (error instanceof PermanentFailure) {
        await this.fail(data, error.reason, error.tokensUsed, log);
        throw new UnrecoverableError(error.reason);
      }
      if (error instanceof UnrecoverableError) throw error;
      if (error instanceof TenantLimitError) {
        outcome = 'retry';
        throw error; // held back by a tenant limit (process puts it back), whatever attempt this was
      }
      if (isOutage(error)) {
        outcome = 'retry';
        throw error; // waits the outage out (process), whatever attempt this was
      }
      if (isLastAttempt(job)) {
        await this.fail(data, `gave up after ${job.attemptsMade + 1} attempts: ${messageOf(error)}`, 0, log);
      } else {
        outcome = 'retry';
        log.warn({ err: error }, 'attempt failed; BullMQ retries it with backoff');
      }
      throw error;
    } finally {
      this.deps.metrics.observeAttempt(data.role, outcome, (performance.now() - startedAt) / 1000);
    }
  }

  private async run(data: AgentJob, log: Logger): Promise<AgentJobResult> {
    const { runs, budget, llm, prompts } = this.deps;
    const start = await runs.startRun(data.tenantId, data.taskId, data.dispatchId);
    if (start.state === 'finished') {
      const charged = await budget.settle(
        data.tenantId,
        data.dispatchId,
        budget.costOfTokens(start.tokensUsed),
        chargeOf(data, start.tokensUsed),
      );
      // The first run may have died before it announced `done`: announced (again) as it is now.
      await this.announce(data, log, [data.taskId]);
      return {
        outcome: 'already-done',
        artifactId: null,
        tokensUsed: start.tokensUsed,
        chargedMicroUsd: charged,
        provider: llm.name,
      };
    }
    if (start.state === 'stale') {
      // Failed already (settled then) or changed by hand: give back whatever is still held, and announce
      // the task as it is, with the tasks its failure blocked (a run that failed it may have died before
      // announcing them).
      await budget.release(data.tenantId, data.dispatchId);
      await this.announceAsItIs(data, log, start.status === 'failed');
      throw new UnrecoverableError(`task ${data.taskId} is ${start.status}; nothing to run`);
    }
    await this.announce(data, log, [start.task]);
    this.assertNotTooExpensive(start.task);
    if (start.goal !== null && this.deps.workspaceAgent) {
      const result = await this.deps.workspaceAgent.run({
        data,
        task: start.task,
        goal: start.goal,
        inputs: start.inputs,
        log,
      });
      if (result.state === 'failed') throw new PermanentFailure(result.reason, result.tokensUsed);
      return this.store(data, log, result.summary, result.tokensUsed, { provider: llm.name, model: llm.model });
    }

    // The context (goal, outline, dependencies' results) is cut to leave the answer its share.
    const messages = prompts.messages(data.role, start.task, start.inputs, {
      goal: start.goal,
      maxTokens: promptTokenCap(data.reservedTokens),
    });
    const maxTokens = data.reservedTokens - countMessageTokens(messages);
    if (maxTokens < 1) {
      // Only a reservation too small for the system prompt and the task's first words gets here.
      throw new PermanentFailure(`the reservation (${data.reservedTokens} tokens) does not cover the prompt`);
    }
    log.info({ provider: llm.name, maxTokens }, 'calling the LLM');
    const completion = await this.complete(data.tenantId, messages, maxTokens);
    this.deps.metrics.countTokens(data.tenantId, data.role, completion.promptTokens, completion.completionTokens);
    const tokensUsed = completion.promptTokens + completion.completionTokens;
    if (completion.finishReason === 'length') {
      throw new PermanentFailure(`the answer was cut off at the reserved ${maxTokens} completion tokens`, tokensUsed);
    }
    return this.store(data, log, completion.text, tokensUsed, completion);
  }

  /**
   * Stores the deliverable as the task's artifact and marks it done, then settles the dispatch (for a
   * workspace task, whose steps paid their own way, the dispatch was released already: this charges 0),
   * announcing the task once Redis has settled and before the ledger entry. So the announcement wakes
   * the orchestrator when the money the task did not use is free again, and no crash leaves a task
   * settled and unannounced: before the ledger entry, the reservation is still open in the ledger and
   * whoever finishes the settlement (a redelivery, or the reservation reconciler when BullMQ failed the
   * job for stalling) announces the task again.
   */
  private async store(
    data: AgentJob,
    log: Logger,
    content: string,
    tokensUsed: number,
    completion: Pick<Completion, 'provider' | 'model'>,
  ): Promise<AgentJobResult> {
    const { runs, budget } = this.deps;
    const stored = await runs.completeRun({
      tenantId: data.tenantId,
      taskId: data.taskId,
      dispatchId: data.dispatchId,
      tokensUsed,
      artifact: {
        kind: `${data.role}-deliverable`,
        content,
        provider: completion.provider,
        model: completion.model,
        offline: completion.provider === 'offline',
      },
    });
    const charged = await budget.settle(
      data.tenantId,
      data.dispatchId,
      budget.costOfTokens(tokensUsed),
      chargeOf(data, tokensUsed),
      stored.state === 'done'
        ? () =>
            this.announce(data, log, [stored.task], {
              taskId: data.taskId,
              id: stored.artifactId,
              provider: completion.provider,
              model: completion.model,
              offline: completion.provider === 'offline',
            })
        : undefined,
    );
    if (stored.state === 'stale') {
      // Changed by hand (or done already) while the agent ran: its answer is dropped, the tokens it
      // used are charged (they were spent), and the task is left as it is.
      log.warn({ tokensUsed, chargedMicroUsd: charged, status: stored.status }, 'task moved on; result dropped');
      throw new UnrecoverableError(`task ${data.taskId} is ${stored.status}; the result is dropped`);
    }
    const { artifactId } = stored;
    log.info({ tokensUsed, chargedMicroUsd: charged, artifact: artifactId }, 'task done');
    return { outcome: 'done', artifactId, tokensUsed, chargedMicroUsd: charged, provider: completion.provider };
  }

  private async complete(
    tenantId: string,
    messages: Parameters<LlmProvider['complete']>[0]['messages'],
    maxTokens: number,
  ): Promise<Completion> {
    // Throws TenantLimitError when the tenant's tokens-per-minute window cannot cover the call.
    const grant = await this.deps.limits?.limiter.takeTokens(tenantId, countMessageTokens(messages) + maxTokens);
    let used = 0;
    try {
      const completion = await this.deps.llm.complete({ messages, maxTokens });
      used = completion.promptTokens + completion.completionTokens;
      return completion;
    } catch (error) {
      if (error instanceof PermanentJobError) throw new PermanentFailure(`LLM refused: ${error.message}`);
      throw error; // rate-limited or transient: BullMQ retries with the agent backoff
    } finally {
      await grant?.settle(used); // what the call did not use (all of it, when it failed) goes back
    }
  }

  private assertNotTooExpensive(task: TaskRecord): void {
    const limit = this.deps.expensiveFailureFactor * task.tokensPlan;
    if (task.tokensActual > limit) {
      throw new PermanentFailure(
        `expensive failure: already used ${task.tokensActual}k tokens, more than ${this.deps.expensiveFailureFactor} × the planned ${task.tokensPlan}k`,
      );
    }
  }

  /**
   * Final failure: the task fails with its reason, its dependents are blocked, the budget settles. A
   * task that moved on (done by this dispatch before a later error, changed by hand) is not failed; a
   * run that stored its artifact is charged for the tokens it recorded.
   */
  private async fail(data: AgentJob, reason: string, tokensUsed: number, log: Logger): Promise<void> {
    const failure = await this.deps.runs.failRun({ ...data, reason, tokensUsed });
    const charge = failure.state === 'stale' && failure.tokensUsed !== null ? failure.tokensUsed : tokensUsed;
    // Announced between the two halves of the settlement, for the reason `store` gives.
    await this.deps.budget.settle(
      data.tenantId,
      data.dispatchId,
      this.deps.budget.costOfTokens(charge),
      chargeOf(data, charge),
      failure.state === 'stale' ? undefined : () => this.announce(data, log, [data.taskId, ...failure.blocked]),
    );
    if (failure.state === 'stale') {
      log.warn({ reason, tokensUsed: charge, status: failure.status }, 'task moved on; not failed');
      return;
    }
    log.warn({ reason, tokensUsed, blocked: failure.blocked }, 'task failed');
  }

  /** The job's task as it is now, and (when it may have failed) the tasks its failure blocked. */
  private async announceAsItIs(data: AgentJob, log: Logger, mayHaveFailed: boolean): Promise<void> {
    const blocked = mayHaveFailed ? await this.deps.runs.blockedBy(data.tenantId, data.taskId).catch(() => []) : [];
    await this.announce(data, log, [data.taskId, ...blocked]);
  }

  /**
   * Best effort: a lost live event costs a client a refetch, never the job. Tasks given as records
   * (as the write that changed them returned them) are published without reading them again.
   */
  private async announce(
    data: AgentJob,
    log: Logger,
    tasks: readonly (string | TaskRecord)[],
    artifact?: Parameters<SnapshotAnnouncer['announce']>[2],
  ): Promise<void> {
    const { announcer } = this.deps;
    const records = tasks.filter((task): task is TaskRecord => typeof task !== 'string');
    const announced =
      announcer.announceTasks && records.length === tasks.length
        ? announcer.announceTasks(data.tenantId, records, artifact)
        : announcer.announce(
            data.tenantId,
            tasks.map((task) => (typeof task === 'string' ? task : task.id)),
            artifact,
          );
    await announced.catch((error: unknown) => {
      log.warn({ err: error }, 'could not announce task changes');
    });
  }
}

/**
 * What a dispatch's charge was for, kept with it in the ledger (usage statements). A workspace task's
 * dispatch was released (settled at 0) before its steps ran, so its settlement here stores nothing new.
 */
const chargeOf = (data: AgentJob, tokens: number): ChargeDetails => ({ tokens, taskId: data.taskId, role: data.role });

/** Neo4j or Redis unreachable, timed out or busy: the platform's fault, not the job's. */
const isOutage = (error: unknown): boolean =>
  !isJobError(error) && !(error instanceof UnrecoverableError) && toAppError(error).code === 'SERVICE_UNAVAILABLE';

const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
