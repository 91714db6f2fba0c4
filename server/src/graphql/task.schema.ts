import type { DependencyEdge, TaskGraph, TaskRecord, TaskStatus } from '@ai-org/schema';
import type { GraphQLEnumType, GraphQLSchema } from 'graphql';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';
import { taskFieldsSelected } from './task-graph-selection';

/**
 * Custom task operations. They return their own payload types (TaskRecord with dependency ids)
 * rather than the generated `Task`, whose relationship fields only the Neo4j resolvers can serve.
 */
export const addTaskSchema = (builder: Builder, neo4jSchema: GraphQLSchema) => {
  const TaskStatusRef = builder.addGraphQLEnum<TaskStatus>(neo4jSchema.getType('TaskStatus') as GraphQLEnumType);

  const TaskRecordRef = builder.objectRef<TaskRecord>('TaskRecord').implement({
    description: 'A task as the custom operations return it: its fields plus the ids it depends on.',
    fields: (t) => ({
      id: t.exposeID('id'),
      tenantId: t.exposeID('tenantId'),
      description: t.exposeString('description'),
      status: t.expose('status', { type: TaskStatusRef }),
      owner: t.exposeString('owner', { nullable: true }),
      businessValue: t.exposeFloat('businessValue'),
      tokensPlan: t.exposeFloat('tokensPlan', { description: 'Planned tokens, in thousands.' }),
      tokensActual: t.exposeFloat('tokensActual', { description: 'Tokens used, in thousands.' }),
      purposeRelevance: t.exposeFloat('purposeRelevance'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      statusReason: t.exposeString('statusReason', {
        nullable: true,
        description: 'Why the task is failed, blocked or waiting for budget.',
      }),
      dispatchCount: t.exposeInt('dispatchCount'),
      version: t.exposeInt('version', {
        description: "Counts the task's changes in the order they were written (the higher, the newer).",
      }),
      dependsOnIds: t.exposeIDList('dependsOn', { description: 'Ids of the tasks this one waits for.' }),
    }),
  });

  const DependencyEdgeRef = builder.objectRef<DependencyEdge>('DependencyEdge').implement({
    description: '`from` depends on `to`.',
    fields: (t) => ({ from: t.exposeID('from'), to: t.exposeID('to') }),
  });

  const TaskGraphRef = builder.objectRef<TaskGraph>('TaskGraph').implement({
    fields: (t) => ({
      nodes: t.field({ type: [TaskRecordRef], resolve: (graph) => graph.nodes }),
      edges: t.field({ type: [DependencyEdgeRef], resolve: (graph) => graph.edges }),
    }),
  });

  const CreateTaskInput = builder.inputType('CreateTaskInput', {
    fields: (t) => ({
      description: t.string({ required: true }),
      businessValue: t.float({ description: 'Default 1.' }),
      tokensPlan: t.float({ description: 'Planned tokens in thousands. Default 0.' }),
      purposeRelevance: t.float({ description: '0..1. Default 0.5.' }),
      owner: t.string(),
      status: t.field({ type: TaskStatusRef }),
      dependsOn: t.idList({ description: 'Ids of existing tasks of the tenant this task waits for.' }),
    }),
  });

  const PlanTaskInput = builder.inputType('PlanTaskInput', {
    fields: (t) => ({
      key: t.string({ required: true, description: 'Your name for the task inside this plan.' }),
      description: t.string({ required: true }),
      businessValue: t.float(),
      tokensPlan: t.float(),
      purposeRelevance: t.float(),
      owner: t.string(),
      status: t.field({ type: TaskStatusRef }),
    }),
  });

  const PlanDependencyInput = builder.inputType('PlanDependencyInput', {
    fields: (t) => ({
      from: t.string({ required: true, description: 'Key of a task in the plan.' }),
      to: t.string({ required: true, description: 'Key of a task in the plan, or id of an existing task.' }),
    }),
  });

  const CreatePlanInput = builder.inputType('CreatePlanInput', {
    fields: (t) => ({
      tasks: t.field({ type: [PlanTaskInput], required: true }),
      dependencies: t.field({ type: [PlanDependencyInput] }),
    }),
  });

  const PlanTaskIdRef = builder.objectRef<{ key: string; id: string }>('PlanTaskId').implement({
    fields: (t) => ({ key: t.exposeString('key'), id: t.exposeID('id') }),
  });

  const CreatePlanPayloadRef = builder
    .objectRef<{ tasks: { key: string; id: string }[]; edgeCount: number }>('CreatePlanPayload')
    .implement({
      fields: (t) => ({
        tasks: t.field({ type: [PlanTaskIdRef], resolve: (payload) => payload.tasks }),
        edgeCount: t.exposeInt('edgeCount'),
      }),
    });

  const RemoveDependencyPayloadRef = builder
    .objectRef<{ removed: boolean; task: TaskRecord }>('RemoveDependencyPayload')
    .implement({
      fields: (t) => ({
        removed: t.exposeBoolean('removed', { description: 'False when there was no such edge.' }),
        task: t.field({ type: TaskRecordRef, resolve: (payload) => payload.task }),
      }),
    });

  builder.queryFields((t) => ({
    backlog: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: [TaskRecordRef],
      description: "The tenant's todo tasks, highest business value × purpose relevance first.",
      args: { limit: t.arg.int({ defaultValue: 100 }) },
      resolve: (_root, args, ctx) => ctx.services.tasks.backlog(requireTenant(ctx), args.limit ?? 100),
    }),
    taskGraph: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: TaskGraphRef,
      description: 'Every task of the tenant and every dependency edge, in one request.',
      // Reads only the columns the selection asks for (a 10,000-task graph is mostly transfer).
      resolve: (_root, _args, ctx, info) => ctx.services.tasks.graph(requireTenant(ctx), taskFieldsSelected(info)),
    }),
  }));

  builder.mutationFields((t) => ({
    createTask: t.field({
      authScopes: { tenantRole: 'member' },
      type: TaskRecordRef,
      args: { input: t.arg({ type: CreateTaskInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.tasks.create(requireTenant(ctx), withoutNulls(input)),
    }),
    createPlan: t.field({
      authScopes: { tenantRole: 'member' },
      type: CreatePlanPayloadRef,
      description: 'Writes many tasks and their dependencies in one transaction.',
      args: { input: t.arg({ type: CreatePlanInput, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        const plan = {
          tasks: input.tasks.map(withoutNulls),
          dependencies: input.dependencies ?? [],
        };
        const created = await ctx.services.tasks.createPlan(requireTenant(ctx), plan);
        const ids = created?.ids ?? {};
        return {
          tasks: Object.entries(ids).map(([key, id]) => ({ key, id })),
          edgeCount: created?.edgeCount ?? 0,
        };
      },
    }),
    addDependency: t.field({
      authScopes: { tenantRole: 'member' },
      type: TaskRecordRef,
      description: 'Makes `taskId` wait for `dependsOnId`. Refused when it would close a cycle.',
      args: { taskId: t.arg.id({ required: true }), dependsOnId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.tasks.addDependency(requireTenant(ctx), args),
    }),
    removeDependency: t.field({
      authScopes: { tenantRole: 'member' },
      type: RemoveDependencyPayloadRef,
      args: { taskId: t.arg.id({ required: true }), dependsOnId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.tasks.removeDependency(requireTenant(ctx), args),
    }),
    setTaskStatus: t.field({
      authScopes: { tenantRole: 'member' },
      type: TaskRecordRef,
      args: { id: t.arg.id({ required: true }), status: t.arg({ type: TaskStatusRef, required: true }) },
      resolve: (_root, args, ctx) => ctx.services.tasks.setStatus(requireTenant(ctx), args.id, args.status),
    }),
  }));

  return { TaskGraphRef };
};

/** GraphQL passes explicit nulls for omitted optional fields; the validators' defaults expect absence. */
const withoutNulls = <T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
