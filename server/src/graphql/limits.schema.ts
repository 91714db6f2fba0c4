import type { TenantLimitsView } from '@ai-org/domain';
import { requireTenant } from '../auth/access';
import type { Builder } from './builder';

/** The tenant's own limits across every worker process: jobs running at once and LLM tokens per minute. */
export const addLimitsSchema = (builder: Builder): void => {
  const TenantLimitsRef = builder.objectRef<TenantLimitsView>('TenantLimits').implement({
    description:
      'Limits on the tenant’s agent jobs, across every worker process. A job held back by one waits on its queue (its task says why); none fails for it.',
    fields: (t) => ({
      maxRunningJobs: t.exposeInt('maxRunningJobs', { description: 'Agent jobs running at once.' }),
      tokensPerMinute: t.exposeInt('tokensPerMinute', {
        description:
          'LLM tokens per minute: each call counts its prompt and its largest possible answer until it ends.',
      }),
      platformMaxRunningJobs: t.int({
        resolve: (limits) => limits.maxima.maxRunningJobs,
        description: 'The most maxRunningJobs may be set to.',
      }),
      platformMaxTokensPerMinute: t.int({
        resolve: (limits) => limits.maxima.tokensPerMinute,
        description: 'The most tokensPerMinute may be set to.',
      }),
    }),
  });

  builder.queryFields((t) => ({
    tenantLimits: t.field({
      authScopes: { tenantRole: 'viewer' },
      type: TenantLimitsRef,
      description: 'The tenant’s limits as they apply: its own values, else the platform’s defaults.',
      resolve: (_root, _args, ctx) => ctx.services.limits.read(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    setTenantLimits: t.field({
      authScopes: { tenantRole: 'owner' },
      type: TenantLimitsRef,
      description:
        'Sets the tenant’s limits (an argument left out stays as it is). BAD_USER_INPUT for a value below 1 or above the platform’s maximum. Running jobs keep running; the new values apply to the next jobs within seconds.',
      args: { maxRunningJobs: t.arg.int({ required: false }), tokensPerMinute: t.arg.int({ required: false }) },
      resolve: (_root, args, ctx) =>
        ctx.services.limits.set(requireTenant(ctx), {
          maxRunningJobs: args.maxRunningJobs,
          tokensPerMinute: args.tokensPerMinute,
        }),
    }),
  }));
};
