import type { WorkspaceFileView } from '@ai-org/domain';
import type { MergeRecord, ReleaseRecord, TestRunRecord, WorkspaceRecord } from '@ai-org/schema';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/** Where a release's files are downloaded (REST, same credentials as GraphQL, role member). */
export const bundlePath = (workspaceId: string, part: 'tar' | 'bundle'): string =>
  `/workspaces/${encodeURIComponent(workspaceId)}/bundle${part === 'tar' ? '' : '?format=git'}`;

/**
 * Goals' workspaces: main's files, what each task merged, the test runs (agents' own and the gate's),
 * the release and its download links. Source code is the tenant's work product: members only, and
 * only ever the caller's tenant (another tenant's workspace reads as not there).
 */
export const addWorkspaceSchema = (builder: Builder): void => {
  const FileRef = builder.objectRef<WorkspaceFileView>('WorkspaceFile').implement({
    fields: (t) => ({
      path: t.exposeString('path'),
      content: t.exposeString('content', { description: 'UTF-8 text, at most 256 KiB of it.' }),
      truncated: t.exposeBoolean('truncated'),
    }),
  });

  const MergeRef = builder.objectRef<MergeRecord>('WorkspaceMerge').implement({
    description: "A task's branch merged into main after its tests passed on the merge result.",
    fields: (t) => ({
      id: t.exposeID('id'),
      taskId: t.exposeID('taskId'),
      commit: t.exposeString('commit'),
      previousMain: t.exposeString('previousMain'),
      diff: t.exposeString('diff', { description: 'The unified diff the merge brought to main (at most 64 KiB).' }),
      diffTruncated: t.exposeBoolean('diffTruncated'),
      files: t.exposeStringList('files'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const TestRunRef = builder.objectRef<TestRunRecord>('TestRun').implement({
    description: "A project's tests run in the sandbox: by an agent (agent), on a merge result (gate).",
    fields: (t) => ({
      id: t.exposeID('id'),
      taskId: t.exposeID('taskId', { nullable: true }),
      kind: t.exposeString('kind', { description: 'agent or gate' }),
      commit: t.exposeString('commit', { nullable: true }),
      command: t.exposeString('command'),
      exitCode: t.exposeInt('exitCode', { nullable: true }),
      signal: t.exposeString('signal', { nullable: true }),
      durationMs: t.exposeInt('durationMs'),
      passed: t.exposeInt('passed', { nullable: true }),
      failed: t.exposeInt('failed', { nullable: true }),
      output: t.exposeString('output', { description: 'stdout then stderr, bounded by the sandbox.' }),
      truncated: t.exposeBoolean('truncated'),
      limitHit: t.exposeString('limitHit', {
        nullable: true,
        description: 'wall_clock, cpu, memory or processes: the sandbox limit that stopped the command.',
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const ReleaseRef = builder.objectRef<ReleaseRecord>('Release').implement({
    description: 'main tagged when every task of the goal was done, as a .tar.gz of the tree and a git bundle.',
    fields: (t) => ({
      id: t.exposeID('id'),
      tag: t.exposeString('tag'),
      commit: t.exposeString('commit'),
      tarSha256: t.exposeString('tarSha256'),
      tarBytes: t.exposeInt('tarBytes'),
      bundleSha256: t.exposeString('bundleSha256'),
      bundleBytes: t.exposeInt('bundleBytes'),
      tarUrl: t.string({ resolve: (release) => bundlePath(release.workspaceId, 'tar') }),
      bundleUrl: t.string({ resolve: (release) => bundlePath(release.workspaceId, 'bundle') }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const WorkspaceRef = builder.objectRef<WorkspaceRecord>('Workspace').implement({
    description: "A goal's git repository: agents work on branches, the gate merges into main.",
    fields: (t) => ({
      id: t.exposeID('id'),
      goalId: t.exposeID('goalId'),
      mainCommit: t.exposeString('mainCommit', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      files: t.stringList({
        description: "main's files (paths).",
        resolve: (workspace, _args, ctx) => ctx.services.workspaces.files(workspace),
      }),
      file: t.field({
        type: FileRef,
        nullable: true,
        args: { path: t.arg.string({ required: true }) },
        description: 'A text file of main; null when there is no such file.',
        resolve: (workspace, args, ctx) => ctx.services.workspaces.file(workspace, args.path),
      }),
      merges: t.field({
        type: [MergeRef],
        description: 'Newest first, at most 200.',
        resolve: (workspace, _args, ctx) => ctx.services.workspaces.merges(workspace),
      }),
      testRuns: t.field({
        type: [TestRunRef],
        description: 'Newest first, at most 200.',
        resolve: (workspace, _args, ctx) => ctx.services.workspaces.testRuns(workspace),
      }),
      release: t.field({
        type: ReleaseRef,
        nullable: true,
        resolve: (workspace, _args, ctx) => ctx.services.workspaces.release(workspace),
      }),
    }),
  });

  builder.queryFields((t) => ({
    workspace: t.field({
      authScopes: { tenantRole: 'member' },
      type: WorkspaceRef,
      nullable: true,
      args: { goalId: t.arg.id({ required: true }) },
      description: "The goal's workspace; null until its first task ran (or for a goal of another tenant).",
      resolve: (_root, args, ctx) => ctx.services.workspaces.byGoal(requireTenant(ctx), String(args.goalId)),
    }),
    workspaces: t.field({
      authScopes: { tenantRole: 'member' },
      type: [WorkspaceRef],
      description: "The tenant's workspaces, newest first, at most 200.",
      resolve: (_root, _args, ctx) => ctx.services.workspaces.list(requireTenant(ctx)),
    }),
  }));
};
