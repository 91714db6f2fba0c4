import type { BudgetChange, MetricsChange, PlanChange, TaskChange, TenantEvent, WorkspaceChange } from '@ai-org/core';
import type { BudgetView } from '@ai-org/domain';
import type { TaskGraph } from '@ai-org/schema';
import type { ObjectRef } from '@pothos/core';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';
import { taskFieldsSelected } from './task-graph-selection';

const eventKinds = ['task', 'budget', 'metrics', 'plan', 'workspace'] as const;

/**
 * Live events over graphql-ws. Every event carries the tenant's next sequence number; delivery is at
 * most once, so a client that sees a gap (or reconnects) refetches `liveSnapshot` and applies only
 * events with a higher sequence number.
 */
export const addLiveSchema = (
  builder: Builder,
  refs: {
    TaskGraphRef: ObjectRef<Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, TaskGraph>;
    BudgetRef: ObjectRef<Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, BudgetView>;
  },
): void => {
  const EventKindRef = builder.enumType('EventKind', { values: eventKinds });

  const ArtifactChangeRef = builder.objectRef<NonNullable<TaskChange['artifact']>>('ArtifactChange').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      provider: t.exposeString('provider'),
      model: t.exposeString('model'),
      offline: t.exposeBoolean('offline'),
    }),
  });

  const TaskChangeRef = builder.objectRef<TaskChange>('TaskChange').implement({
    description: 'A task as it is after the change: enough to update a table row or a graph node.',
    fields: (t) => ({
      id: t.exposeID('id'),
      description: t.exposeString('description'),
      status: t.exposeString('status'),
      statusReason: t.exposeString('statusReason', { nullable: true }),
      owner: t.exposeString('owner', { nullable: true }),
      routedBy: t.exposeString('routedBy', { nullable: true }),
      businessValue: t.exposeFloat('businessValue'),
      tokensPlan: t.exposeFloat('tokensPlan'),
      tokensActual: t.exposeFloat('tokensActual'),
      purposeRelevance: t.exposeFloat('purposeRelevance'),
      dependsOnIds: t.idList({ resolve: (task) => [...task.dependsOn] }),
      version: t.exposeInt('version', {
        description:
          "Counts the task's changes in the order they were written; events are sequenced in the order they are published. Of two snapshots of a task (events, liveSnapshot), keep the higher version.",
      }),
      artifact: t.field({ type: ArtifactChangeRef, nullable: true, resolve: (task) => task.artifact ?? null }),
    }),
  });

  const BudgetChangeRef = builder.objectRef<BudgetChange>('BudgetChange').implement({
    fields: (t) => ({
      leftUsd: t.exposeFloat('leftUsd'),
      reservedUsd: t.exposeFloat('reservedUsd'),
      spentUsd: t.exposeFloat('spentUsd'),
      fundedUsd: t.exposeFloat('fundedUsd'),
      thresholdsCrossed: t.floatList({ resolve: (b) => [...b.thresholdsCrossed] }),
    }),
  });

  const QueueDepthRef = builder.objectRef<MetricsChange['queues'][number]>('QueueDepth').implement({
    fields: (t) => ({ role: t.exposeString('role'), waiting: t.exposeInt('waiting'), active: t.exposeInt('active') }),
  });

  const MetricsChangeRef = builder.objectRef<MetricsChange>('MetricsChange').implement({
    fields: (t) => ({
      ready: t.exposeInt('ready'),
      running: t.exposeInt('running'),
      blocked: t.exposeInt('blocked'),
      waitingForBudget: t.exposeInt('waitingForBudget'),
      criticalPathTasks: t.exposeInt('criticalPathTasks'),
      criticalPathTokens: t.exposeFloat('criticalPathTokens'),
      progress: t.exposeFloat('progress'),
      queues: t.field({ type: [QueueDepthRef], resolve: (m) => [...m.queues] }),
    }),
  });

  const PlanChangeRef = builder.objectRef<PlanChange>('PlanChange').implement({
    fields: (t) => ({
      goalId: t.exposeID('goalId'),
      phase: t.exposeString('phase', {
        description:
          'planning, accepted, refused, waiting (for budget), awaiting_approval (spend approval), approved or rejected',
      }),
      reason: t.exposeString('reason', { nullable: true }),
      taskCount: t.exposeInt('taskCount', { nullable: true }),
    }),
  });

  const WorkspaceChangeRef = builder.objectRef<WorkspaceChange>('WorkspaceChange').implement({
    fields: (t) => ({
      goalId: t.exposeID('goalId'),
      taskId: t.exposeID('taskId', { nullable: true }),
      what: t.exposeString('what', {
        description: 'step, test_run, gate (tests failed on the merge), merge or release',
      }),
      summary: t.exposeString('summary'),
    }),
  });

  const TenantEventRef = builder.objectRef<TenantEvent>('TenantEvent').implement({
    description: 'One live event. Exactly one of task, budget, metrics, plan, workspace is set, as `kind` says.',
    fields: (t) => ({
      seq: t.exposeFloat('seq', {
        description:
          "The tenant's sequence number: n, n + 1, n + 2, … A gap means missed events. An integer above 2^31 " +
          '(the counter starts at a clock reading, so it never goes backwards, even after Redis lost it).',
      }),
      kind: t.field({ type: EventKindRef, resolve: (e) => e.kind }),
      at: t.exposeString('at'),
      task: t.field({ type: TaskChangeRef, nullable: true, resolve: (e) => (e.kind === 'task' ? e.task : null) }),
      budget: t.field({
        type: BudgetChangeRef,
        nullable: true,
        resolve: (e) => (e.kind === 'budget' ? e.budget : null),
      }),
      metrics: t.field({
        type: MetricsChangeRef,
        nullable: true,
        resolve: (e) => (e.kind === 'metrics' ? e.metrics : null),
      }),
      plan: t.field({ type: PlanChangeRef, nullable: true, resolve: (e) => (e.kind === 'plan' ? e.plan : null) }),
      workspace: t.field({
        type: WorkspaceChangeRef,
        nullable: true,
        resolve: (e) => (e.kind === 'workspace' ? e.workspace : null),
      }),
    }),
  });

  const LiveSnapshotRef = builder.objectRef<{ tenantId: string; seq: number }>('LiveSnapshot').implement({
    description: 'The current state with the sequence number it is current as of (read before the state).',
    fields: (t) => ({
      seq: t.exposeFloat('seq', { description: 'An integer, as TenantEvent.seq.' }),
      taskGraph: t.field({
        type: refs.TaskGraphRef,
        resolve: (s, _args, ctx, info) => ctx.services.tasks.graph(s.tenantId, taskFieldsSelected(info)),
      }),
      budget: t.field({ type: refs.BudgetRef, resolve: (s, _args, ctx) => ctx.services.budget.read(s.tenantId) }),
    }),
  });

  builder.queryFields((t) => ({
    liveSnapshot: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: LiveSnapshotRef,
      description: 'Refetch after a gap in event sequence numbers: apply only events with a higher seq.',
      resolve: async (_root, _args, ctx) => {
        const tenantId = requireTenant(ctx);
        return { tenantId, seq: await ctx.services.live.currentSequence(tenantId) };
      },
    }),
  }));

  builder.subscriptionType({});
  builder.subscriptionFields((t) => ({
    events: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: TenantEventRef,
      description: "The tenant's live events, optionally only some kinds (then sequence gaps are expected).",
      args: { kinds: t.arg({ type: [EventKindRef] }) },
      subscribe: (_root, args, ctx) => ctx.services.live.subscribe(requireTenant(ctx), args.kinds ?? undefined),
      resolve: (event) => event,
    }),
  }));
};
