import { AppError, badInput, toUsd } from '@ai-org/core';
import type { PlanApprovalView, SpendApprovalView } from '@ai-org/domain';
import { taskIdPattern } from '@ai-org/schema';
import { requireTenant } from '../auth/access';
import type { RequestContext } from '../context';
import type { Builder } from './builder';

/** Goal ids are made like task ids (8 characters); a malformed one is bad input, not a missing goal. */
const goalIdArg = (id: string): string => {
  if (!taskIdPattern.test(id)) throw badInput('Invalid goal id: must be an 8-character goal id', { field: 'goalId' });
  return id;
};

/** Who decided, as recorded on the goal: the API key id, the token's subject, or `development:<tenant>`. */
const decider = (ctx: RequestContext): string => {
  const subject = ctx.identity?.subject;
  if (!subject) throw new AppError('UNAUTHENTICATED', 'Sign in to decide on a plan');
  return subject;
};

/** Spend approval: the tenant's threshold, and owners' approvals of plans planned above it. */
export const addPlanApprovalSchema = (builder: Builder): void => {
  const SpendApprovalRef = builder.objectRef<SpendApprovalView>('SpendApproval').implement({
    description: "Plans whose planned cost is above the threshold wait for an owner's approval before any task runs.",
    fields: (t) => ({
      thresholdUsd: t.exposeFloat('thresholdUsd', {
        nullable: true,
        description: 'Null: spend approval is off.',
      }),
    }),
  });

  const PlanApprovalRef = builder.objectRef<PlanApprovalView>('PlanApproval').implement({
    description:
      "A goal's plan and the spend approval it needs. Approving names planHash: a plan changed since is not approved.",
    fields: (t) => ({
      goalId: t.exposeID('goalId'),
      goalStatus: t.exposeString('goalStatus'),
      state: t.exposeString('state', {
        description: 'not_required, awaiting_approval (its tasks are held), approved or rejected',
      }),
      planHash: t.exposeString('planHash', {
        description: 'SHA-256 of the plan as it is now (its tasks and DEPENDS_ON edges, canonical and sorted).',
      }),
      plannedCostUsd: t.float({
        resolve: (a) => toUsd(a.plannedCostMicroUsd),
        description: "Σ the goal's tasks' planned tokens × the price",
      }),
      taskCount: t.exposeInt('taskCount'),
      approvedHash: t.exposeString('approvedHash', { nullable: true }),
      approvedBy: t.exposeString('approvedBy', { nullable: true }),
      approvedAt: t.exposeString('approvedAt', { nullable: true }),
      rejectedBy: t.exposeString('rejectedBy', { nullable: true }),
      rejectedAt: t.exposeString('rejectedAt', { nullable: true }),
    }),
  });

  builder.queryFields((t) => ({
    spendApproval: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: SpendApprovalRef,
      description: "The tenant's spend-approval threshold.",
      resolve: (_root, _args, ctx) => ctx.services.planApprovals.setting(requireTenant(ctx)),
    }),
    planApproval: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: PlanApprovalRef,
      nullable: true,
      description: "A goal's plan approval; null for a goal of another tenant or none.",
      args: { goalId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.planApprovals.find(requireTenant(ctx), goalIdArg(String(args.goalId))),
    }),
  }));

  builder.mutationFields((t) => ({
    setSpendApproval: t.field({
      authScopes: { tenantRole: 'owner' },
      type: SpendApprovalRef,
      description:
        'Plans planned above thresholdUsd (0 to 1,000,000) wait for an owner’s approval; null turns it off. ' +
        'Plans planned before keep what they had.',
      args: { thresholdUsd: t.arg.float({ required: false }) },
      resolve: (_root, args, ctx) =>
        ctx.services.planApprovals.setSetting(requireTenant(ctx), args.thresholdUsd ?? null),
    }),
    approvePlan: t.field({
      authScopes: { tenantRole: 'owner' },
      type: PlanApprovalRef,
      description:
        'Approves the plan whose hash you reviewed; its tasks are then dispatched. CONFLICT when the plan ' +
        'changed since (read planApproval again).',
      args: { goalId: t.arg.id({ required: true }), planHash: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.planApprovals.approve(
          requireTenant(ctx),
          goalIdArg(String(args.goalId)),
          args.planHash,
          decider(ctx),
        ),
    }),
    rejectPlan: t.field({
      authScopes: { tenantRole: 'owner' },
      type: PlanApprovalRef,
      description: 'Rejects a plan waiting for approval: the goal is rejected, its tasks fail ("plan rejected").',
      args: { goalId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.planApprovals.reject(requireTenant(ctx), goalIdArg(String(args.goalId)), decider(ctx)),
    }),
  }));
};
