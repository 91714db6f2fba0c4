import type { AgentJob, Logger, TenantEventSink, WorkspaceChange } from '@ai-org/core';
import { type BudgetService, isWorkspaceError, type WorkspaceStore } from '@ai-org/domain';
import type { DependencyOutput, GoalContext, TaskRecord, TaskRunRepository, WorkspaceRepository } from '@ai-org/schema';
import type { ToolStepProvider } from '../../llm';
import type { SandboxPolicy } from '../../sandbox/sandbox-limits';
import { type AgentLoop, StepRefusedError, tokensOfSteps } from './agent-loop';
import { toolsFor } from './agent-tools';
import { loopMessages } from './loop-prompt';
import { type MergeGate, recordTests } from './merge-gate';
import { runProjectTests, testSummaryLine } from './project-tests';
import { bounded } from './tool-executor';

/** What the task's artifact records when its agent is done. */
export interface WorkspaceResult {
  readonly state: 'done';
  readonly summary: string;
  readonly tokensUsed: number;
}

/** The task fails with this reason; its steps' tokens were charged as they were used. */
export interface WorkspaceFailure {
  readonly state: 'failed';
  readonly reason: string;
  readonly tokensUsed: number;
}

export interface WorkspaceAgentDeps {
  readonly store: WorkspaceStore;
  readonly records: WorkspaceRepository;
  readonly runs: Pick<TaskRunRepository, 'isRunning'>;
  readonly loop: AgentLoop;
  readonly gate: MergeGate;
  readonly provider: ToolStepProvider;
  readonly budget: Pick<BudgetService, 'release'>;
  readonly events: TenantEventSink;
  readonly sandbox: SandboxPolicy;
  readonly gateRounds: number;
  readonly expensiveFailureFactor: number;
  /** Tokens the outline and the dependencies' summaries may take in the opening prompt. */
  readonly contextTokens: number;
}

/** A goal's task as its job starts it (`TaskRunRepository.startRun`). */
export interface WorkspaceJob {
  readonly data: AgentJob;
  readonly task: TaskRecord;
  readonly goal: GoalContext;
  readonly inputs: readonly DependencyOutput[];
  readonly log: Logger;
}

const refusalOf = (error: unknown): string | null => {
  if (error instanceof StepRefusedError) return error.message;
  if (isWorkspaceError(error) && error.code === 'invalid_input') return `workspace: ${error.message}`;
  return null;
};

/** Roles that change code, on a branch of their own; the others read main. */
const writableRoles: readonly string[] = ['dev', 'ux_ui'];

/**
 * A goal's task done by a tool-using agent in the goal's git workspace: a dev or ux_ui task on its own
 * branch, merged through the gate (tests on the merge result, in the sandbox; a failure goes back to the
 * agent for another round, up to `gateRounds`); a qa or telemetry task on main, read-only. The job's
 * dispatch reservation is only the admission ticket: it is given back before the first step, and each
 * step reserves and pays its own tokens (see AgentLoop).
 */
export class WorkspaceAgent {
  constructor(private readonly deps: WorkspaceAgentDeps) {}

  private async branchAt(tenantId: string, goalId: string, taskId: string, commit: string | undefined) {
    const branch = await this.deps.store.taskWorktree(tenantId, goalId, taskId);
    return this.deps.store.taskWorktree(tenantId, goalId, taskId, { resetTo: commit ?? branch.head });
  }

  async run(job: WorkspaceJob): Promise<WorkspaceResult | WorkspaceFailure> {
    try {
      return await this.attempt(job);
    } catch (error) {
      // A refusal no retry can change (the model's, or an id the workspace refuses) fails the task,
      // charged for the steps it took; anything else is retried by the job queue.
      const reason = refusalOf(error);
      if (reason === null) throw error;
      const steps = await this.deps.records.steps(job.data.tenantId, job.data.dispatchId);
      return { state: 'failed', reason, tokensUsed: tokensOfSteps(steps) };
    }
  }

  private async attempt({ data, task, goal, inputs, log }: WorkspaceJob): Promise<WorkspaceResult | WorkspaceFailure> {
    const { store, records, loop, gate } = this.deps;
    const writable = writableRoles.includes(data.role);
    const where = { tenantId: data.tenantId, goalId: goal.id, taskId: data.taskId };
    const isCurrent = () => this.deps.runs.isRunning(data.tenantId, data.taskId, data.dispatchId);
    await store.ensure(data.tenantId, goal.id);
    await records.ensure(data.tenantId, goal.id);
    const previous = await records.steps(data.tenantId, data.dispatchId);
    // Resuming: back to the last checkpoint's commit (a dead step's half-written files go; the step's
    // tools run again). Starting: back to the branch's head (what an older dispatch left uncommitted goes).
    const checkpoint = previous.findLast((step) => step.commit !== null)?.commit ?? undefined;
    const worktree = writable
      ? await this.branchAt(data.tenantId, goal.id, data.taskId, checkpoint)
      : await store.readOnlyMain(data.tenantId, goal.id, data.taskId);
    await this.deps.budget.release(data.tenantId, data.dispatchId);

    const announce = (change: Omit<WorkspaceChange, 'goalId' | 'taskId'>) =>
      this.deps.events
        .publish(data.tenantId, { kind: 'workspace', workspace: { goalId: goal.id, taskId: data.taskId, ...change } })
        .catch((error: unknown) => log.warn({ err: error }, 'could not announce a workspace change'));
    const tools = toolsFor(writable);
    const tokenAllowance = Math.floor(
      this.deps.expensiveFailureFactor * task.tokensPlan * 1000 - (task.tokensActual ?? 0) * 1000,
    );
    // The outline and the dependencies' summaries take at most a quarter of what the task may use.
    const opening = loopMessages({
      role: data.role,
      writable,
      task,
      goal,
      inputs,
      contextTokens: Math.max(0, Math.min(this.deps.contextTokens, Math.floor(tokenAllowance / 4))),
    });
    let rounds = previous.filter((step) => step.kind === 'gate').length;
    for (;;) {
      const outcome = await loop.run({
        tenantId: data.tenantId,
        taskId: data.taskId,
        dispatchId: data.dispatchId,
        role: data.role,
        opening,
        tools,
        tokenAllowance,
        workspace: {
          dir: worktree.path,
          writable,
          runTests: async () => {
            const tests = await runProjectTests(worktree.path, this.deps.sandbox);
            await recordTests(records, where, 'agent', null, tests);
            void announce({ what: 'test_run', summary: testSummaryLine(tests) });
            return tests;
          },
        },
        commit: (message) => store.commitAll(worktree.path, message),
        log,
        onStep: (step) => {
          const calls = step.toolCalls.map((call) => call.name).join(', ');
          void announce({ what: 'step', summary: `step ${step.n}: ${calls === '' ? 'answer' : calls}` });
        },
      });
      if (outcome.state === 'stopped')
        return { state: 'failed', reason: outcome.reason, tokensUsed: outcome.tokensUsed };
      if (!writable) return { state: 'done', summary: outcome.summary, tokensUsed: outcome.tokensUsed };

      const passed = await gate.pass({ ...where, isCurrent });
      switch (passed.state) {
        case 'merged':
          void announce({
            what: 'merge',
            summary: `merged into main as ${passed.merge?.commit.slice(0, 12) ?? 'main'}`,
          });
          return {
            state: 'done',
            summary: `${outcome.summary}\n\nMerged into main as ${passed.merge?.commit ?? '(already merged)'}.`,
            tokensUsed: outcome.tokensUsed,
          };
        case 'unchanged':
          return {
            state: 'done',
            summary: `${outcome.summary}\n\n(No change to merge: main already has everything this branch has.)`,
            tokensUsed: outcome.tokensUsed,
          };
        case 'conflict':
          return { state: 'failed', reason: passed.message, tokensUsed: outcome.tokensUsed };
        case 'stale':
          // Storing the result finds the task moved on too and drops it; its steps were paid.
          return {
            state: 'done',
            summary: `${outcome.summary}\n\n(Not merged: the task changed meanwhile.)`,
            tokensUsed: outcome.tokensUsed,
          };
        case 'failed': {
          rounds += 1;
          void announce({
            what: 'gate',
            summary: `round ${rounds}: ${passed.message.split('\n')[1] ?? 'tests failed'}`,
          });
          if (rounds >= this.deps.gateRounds) {
            return {
              state: 'failed',
              reason: `the tests failed on the merge result ${rounds} times; nothing was merged (test run ${passed.testRun.id}):\n${bounded(passed.testRun.output)}`,
              tokensUsed: outcome.tokensUsed,
            };
          }
          const steps = await records.steps(data.tenantId, data.dispatchId);
          await records.recordStep({
            tenantId: data.tenantId,
            taskId: data.taskId,
            dispatchId: data.dispatchId,
            n: steps.length,
            kind: 'gate',
            text: bounded(`${passed.message}\nFix the cause, run the tests, then call finish again.`),
            toolCalls: [],
            promptTokens: 0,
            completionTokens: 0,
            finishReason: 'gate',
            provider: 'gate',
            model: 'gate',
          });
          log.info({ round: rounds, testRun: passed.testRun.id }, 'the gate refused the change; the agent tries again');
        }
      }
    }
  }
}
