import { toUsd } from '@ai-org/core';
import type { ForecastReport, InspectionReport } from '@ai-org/domain';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/** The inspector's figures, the budget forecast and goals. */
export const addInspectionSchema = (builder: Builder): void => {
  const AlertCountRef = builder.objectRef<{ kind: string; count: number }>('AlertCount').implement({
    fields: (t) => ({ kind: t.exposeString('kind'), count: t.exposeInt('count') }),
  });

  const InspectionRef = builder.objectRef<InspectionReport>('Inspection').implement({
    description: "One read of the tenant's task graph, computed in O(V + E).",
    fields: (t) => ({
      total: t.exposeInt('total'),
      done: t.exposeInt('done'),
      failed: t.exposeInt('failed'),
      running: t.exposeInt('running', { description: 'queued + doing' }),
      ready: t.exposeInt('ready'),
      blockedByFailure: t.exposeInt('blockedByFailure'),
      waitingForBudget: t.exposeInt('waitingForBudget'),
      criticalPathTasks: t.int({
        resolve: (i) => i.criticalPath.byCount.tasks,
        description: 'Longest chain of remaining tasks',
      }),
      criticalPathTaskIds: t.idList({ resolve: (i) => [...i.criticalPath.byCount.taskIds] }),
      criticalPathTokens: t.float({
        resolve: (i) => i.criticalPath.byTokens.tokens,
        description: 'Most planned tokens (thousands) along one chain of remaining tasks',
      }),
      progress: t.exposeFloat('progress', { description: 'Σ value done / Σ value, 0..1' }),
      remainingTokens: t.exposeFloat('remainingTokens', { description: 'Planned tokens (thousands) not done yet' }),
      alerts: t.field({
        type: [AlertCountRef],
        resolve: (i) => Object.entries(i.alerts).map(([kind, count]) => ({ kind, count })),
      }),
    }),
  });

  const ForecastRef = builder.objectRef<ForecastReport>('BudgetForecast').implement({
    fields: (t) => ({
      costToFinishUsd: t.float({
        resolve: (f) => toUsd(f.costToFinishMicroUsd),
        description: 'Remaining planned tokens × price',
      }),
      budgetLeftUsd: t.float({ resolve: (f) => toUsd(f.leftMicroUsd) }),
      firstUnaffordableTaskId: t.exposeID('firstUnaffordableTaskId', {
        nullable: true,
        description: 'The first task, in admission order, the budget cannot pay for; null when it covers everything.',
      }),
    }),
  });

  const GoalPayloadRef = builder.objectRef<{ id: string; status: string; text: string }>('GoalPayload').implement({
    fields: (t) => ({ id: t.exposeID('id'), status: t.exposeString('status'), text: t.exposeString('text') }),
  });

  builder.queryFields((t) => ({
    inspection: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: InspectionRef,
      resolve: (_root, _args, ctx) => ctx.services.inspection.inspection(requireTenant(ctx)),
    }),
    budgetForecast: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: ForecastRef,
      resolve: (_root, _args, ctx) => ctx.services.inspection.forecast(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    setGoal: t.field({
      authScopes: { tenantRole: 'member' },
      type: GoalPayloadRef,
      description: 'States what the tenant wants built; the orchestrator plans it once the backlog is empty.',
      args: { text: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.goals.create(requireTenant(ctx), args.text),
    }),
  }));
};
