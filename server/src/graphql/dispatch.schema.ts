import { badInput, toUsd } from '@ai-org/core';
import type { Dispatched, DispatchSummary } from '@ai-org/domain';
import { taskIdPattern } from '@ai-org/schema';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/** Most tasks one `dispatchReadyTasks` call dispatches. */
export const maxDispatchLimit = 1_000;

/** A malformed id is bad input (as for every other task mutation), not a task that was not found. */
const taskIdArg = (id: string): string => {
  if (!taskIdPattern.test(id)) throw badInput('Invalid task id: must be an 8-character task id', { field: 'id' });
  return id;
};

/** An out-of-range limit is refused, never quietly clamped into one that dispatches tasks. */
const dispatchLimitArg = (limit: number | null | undefined): number => {
  if (limit == null) return 100;
  if (limit < 1 || limit > maxDispatchLimit) {
    throw badInput(`limit must be 1 to ${maxDispatchLimit}`, { field: 'limit' });
  }
  return limit;
};

/** Dispatching tasks to the role queues, through the budget gate. */
export const addDispatchSchema = (builder: Builder): void => {
  const DispatchedRef = builder.objectRef<Dispatched>('DispatchedTask').implement({
    fields: (t) => ({
      taskId: t.exposeID('taskId'),
      jobId: t.exposeString('dispatchId', { description: '<task id>.<dispatch count>; settles the budget once.' }),
      queue: t.exposeString('queue', { description: '<tenant>.<role>' }),
      reservedUsd: t.float({ resolve: (d) => toUsd(d.reservedMicroUsd) }),
    }),
  });

  const SkippedRef = builder.objectRef<DispatchSummary['skipped'][number]>('SkippedTask').implement({
    fields: (t) => ({
      taskId: t.exposeID('taskId'),
      code: t.exposeString('code', { description: 'BUDGET_EXCEEDED, CONFLICT, BAD_USER_INPUT, …' }),
      reason: t.exposeString('reason'),
    }),
  });

  const SummaryRef = builder.objectRef<DispatchSummary>('DispatchSummary').implement({
    fields: (t) => ({
      dispatched: t.field({ type: [DispatchedRef], resolve: (s) => [...s.dispatched] }),
      skipped: t.field({ type: [SkippedRef], resolve: (s) => [...s.skipped] }),
    }),
  });

  builder.mutationFields((t) => ({
    dispatchTask: t.field({
      authScopes: { tenantRole: 'member' },
      type: DispatchedRef,
      description:
        "Reserves the task's planned tokens and puts its job on the tenant's queue for its role. " +
        'BUDGET_EXCEEDED (and the task waits for budget) when the budget cannot pay for it.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.dispatch.dispatch(requireTenant(ctx), taskIdArg(args.id)),
    }),
    dispatchReadyTasks: t.field({
      authScopes: { tenantRole: 'member' },
      type: SummaryRef,
      description: 'Dispatches every task whose dependencies are done, most valuable first.',
      args: { limit: t.arg.int({ defaultValue: 100 }) },
      resolve: (_root, args, ctx) =>
        ctx.services.dispatch.dispatchReady(requireTenant(ctx), dispatchLimitArg(args.limit)),
    }),
  }));
};
