import type { WorkspaceStore } from '@ai-org/domain';
import type { MergeRecord, TestRunRecord, WorkspaceRepository } from '@ai-org/schema';
import type { SandboxPolicy } from '../../sandbox/sandbox-limits';
import { type ProjectTestRun, runProjectTests, testSummaryLine } from './project-tests';

export type GateOutcome =
  | { readonly state: 'merged'; readonly merge: MergeRecord | null; readonly testRun: TestRunRecord | null }
  /** The branch brings nothing main does not have. */
  | { readonly state: 'unchanged' }
  | { readonly state: 'failed'; readonly testRun: TestRunRecord; readonly message: string }
  | { readonly state: 'conflict'; readonly files: readonly string[]; readonly message: string }
  /** The task changed meanwhile (set by hand, taken over): main was not moved. */
  | { readonly state: 'stale' };

export interface GateTask {
  readonly tenantId: string;
  readonly goalId: string;
  readonly taskId: string;
  /** Asked right before main moves: is the task still this job's to finish? */
  readonly isCurrent: () => Promise<boolean>;
}

export interface MergeGateDeps {
  readonly store: Pick<WorkspaceStore, 'mergePreview' | 'discardExport' | 'advanceMain' | 'diff'>;
  readonly records: Pick<
    WorkspaceRepository,
    'recordTestRun' | 'recordPendingMerge' | 'confirmMerge' | 'discardPendingMerge'
  >;
  readonly sandbox: SandboxPolicy;
  /** Main moved under us this many times in a row: give up for now (the job retries). */
  readonly maxRaces?: number;
}

/** Records a sandboxed test run of a workspace (agent's own, gate, release check). */
export const recordTests = (
  records: Pick<WorkspaceRepository, 'recordTestRun'>,
  task: { tenantId: string; goalId: string; taskId: string | null },
  kind: TestRunRecord['kind'],
  commit: string | null,
  tests: ProjectTestRun,
): Promise<TestRunRecord> =>
  records.recordTestRun({
    tenantId: task.tenantId,
    goalId: task.goalId,
    taskId: task.taskId,
    kind,
    commit,
    command: tests.command,
    exitCode: tests.run?.exitCode ?? null,
    signal: tests.run?.signal ?? null,
    durationMs: Math.round(tests.run?.durationMs ?? 0),
    passed: tests.passed,
    failed: tests.failed,
    output: tests.output,
    truncated: tests.run?.truncated ?? false,
    limitHit: tests.run?.limitHit ?? null,
  });

/**
 * The gate between a task's branch and main: merge it with main as main is now (main does not move),
 * run the project's tests on the merge result in the sandbox (a folder without `.git`), and only when
 * they pass move main to the merge — by compare-and-swap, so two tasks merging at once never lose one
 * another's work (the loser merges again with the new main and tests again). A conflict is reported,
 * never resolved silently. Safe to repeat after a crash: the merge is recorded as pending before main
 * moves and confirmed after; a repeat finds the branch merged and confirms.
 */
export class MergeGate {
  constructor(private readonly deps: MergeGateDeps) {}

  async pass(task: GateTask): Promise<GateOutcome> {
    const { store, records } = this.deps;
    for (let race = 0; race < (this.deps.maxRaces ?? 5); race += 1) {
      const preview = await store.mergePreview(task.tenantId, task.goalId, task.taskId);
      if (preview.state === 'nothing') {
        // Nothing new, or merged already by a try that died before confirming.
        const merge = await records.confirmMerge(task.tenantId, task.taskId);
        return merge ? { state: 'merged', merge, testRun: null } : { state: 'unchanged' };
      }
      if (preview.state === 'conflict') {
        return {
          state: 'conflict',
          files: preview.files,
          message: `Your branch conflicts with main in: ${preview.files.join(', ')}. Main changed since you started; the task cannot be merged.`,
        };
      }
      let tests: ProjectTestRun;
      try {
        tests = await runProjectTests(preview.exportDir, this.deps.sandbox);
      } finally {
        await store.discardExport(preview.exportDir);
      }
      const testRun = await recordTests(records, task, 'gate', preview.mergeCommit, tests);
      if (!tests.passedRun) {
        return {
          state: 'failed',
          testRun,
          message: `The gate ran the tests on your branch merged with main; they failed, so nothing was merged.\n${testSummaryLine(tests)}\n${tests.output}`,
        };
      }
      // A task set done (or failed) by hand while its agent worked, or taken over, merges nothing: its
      // goal may even have shipped already.
      if (!(await task.isCurrent())) return { state: 'stale' };
      const diff = await store.diff(task.tenantId, task.goalId, preview.mainCommit, preview.mergeCommit);
      await records.recordPendingMerge({
        tenantId: task.tenantId,
        goalId: task.goalId,
        taskId: task.taskId,
        commit: preview.mergeCommit,
        previousMain: preview.mainCommit,
        diff: diff.text,
        diffTruncated: diff.truncated,
        files: diff.files.map((file) => file.path),
      });
      if (await store.advanceMain(task.tenantId, task.goalId, preview.mergeCommit, preview.mainCommit)) {
        return { state: 'merged', merge: await records.confirmMerge(task.tenantId, task.taskId), testRun };
      }
      await records.discardPendingMerge(task.tenantId, preview.mergeCommit);
    }
    throw new Error(`main of goal ${task.goalId} kept moving while task ${task.taskId} was merged; trying again`);
  }
}
