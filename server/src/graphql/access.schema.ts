import { type AuthMode, authModes, badInput, type TenantRole, tenantRoles } from '@ai-org/core';
import type { ApiKeyView } from '@ai-org/domain';
import { requireTenant } from '../auth/access';
import type { Identity } from '../auth/identity';
import type { Builder } from './builder';

/**
 * Who you are (`me`), your tenant's API keys (owners), and tenants (platform admins). A key's secret is
 * answered once, by the mutation that creates it; nothing else ever returns it.
 */
export const addAccessSchema = (builder: Builder, authMode: AuthMode) => {
  const AuthModeRef = builder.enumType('AuthMode', { values: authModes });
  const TenantRoleRef = builder.enumType('TenantRole', {
    values: tenantRoles,
    description:
      'viewer: reads and subscriptions; member: tasks, plans, goals, dispatch; owner: also API keys and webhooks.',
  });

  const MeRef = builder.objectRef<Identity>('Me').implement({
    description: 'The caller, as the API identified it.',
    fields: (t) => ({
      authMode: t.field({ type: AuthModeRef, resolve: () => authMode }),
      tenantId: t.exposeID('tenantId', { nullable: true }),
      role: t.field({ type: TenantRoleRef, nullable: true, resolve: (me) => me.role }),
      platformAdmin: t.exposeBoolean('platformAdmin'),
      via: t.exposeString('via', { description: 'development (header), api_key or jwt' }),
      expiresAt: t.string({ nullable: true, resolve: (me) => me.expiresAt?.toISOString() ?? null }),
    }),
  });

  const ApiKeyRef = builder.objectRef<ApiKeyView>('ApiKey').implement({
    description: 'An API key, without its secret: `prefix` is enough to recognise it.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      role: t.exposeString('role'),
      prefix: t.exposeString('prefix'),
      createdAt: t.exposeString('createdAt'),
      expiresAt: t.exposeString('expiresAt', { nullable: true }),
      lastUsedAt: t.exposeString('lastUsedAt', { nullable: true }),
      revokedAt: t.exposeString('revokedAt', { nullable: true }),
    }),
  });

  const NewApiKeyRef = builder.objectRef<{ key: ApiKeyView; secret: string }>('NewApiKey').implement({
    fields: (t) => ({
      key: t.field({ type: ApiKeyRef, resolve: (created) => created.key }),
      secret: t.exposeString('secret', { description: 'Shown this once; only its hash is stored.' }),
    }),
  });

  const NewTenantRef = builder
    .objectRef<{ tenantId: string; name: string; key: ApiKeyView; secret: string }>('NewTenant')
    .implement({
      fields: (t) => ({
        tenantId: t.exposeID('tenantId'),
        name: t.exposeString('name'),
        ownerKey: t.field({
          type: NewApiKeyRef,
          description: 'The tenant’s first owner key; its secret is shown this once.',
          resolve: (created) => ({ key: created.key, secret: created.secret }),
        }),
      }),
    });

  const expiryOf = (value: string | null | undefined): Date | null => {
    if (value === null || value === undefined) return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw badInput('expiresAt must be an ISO-8601 date-time');
    return date;
  };

  builder.queryFields((t) => ({
    me: t.field({
      type: MeRef,
      authScopes: { authenticated: true },
      resolve: (_root, _args, ctx) => ctx.identity as Identity,
    }),
    apiKeys: t.field({
      type: [ApiKeyRef],
      authScopes: { tenantRole: 'owner' },
      description: 'Your tenant’s API keys, revoked ones included, oldest first.',
      resolve: (_root, _args, ctx) => ctx.services.apiKeys.list(requireTenant(ctx)),
    }),
  }));

  builder.mutationFields((t) => ({
    createApiKey: t.field({
      type: NewApiKeyRef,
      authScopes: { tenantRole: 'owner' },
      description: 'A key for scripts and third parties, with a tenant role; its secret is answered once.',
      args: {
        name: t.arg.string({ required: true }),
        role: t.arg({ type: TenantRoleRef, required: true }),
        expiresAt: t.arg.string({ required: false, description: 'ISO-8601; at most two years ahead.' }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.apiKeys.create(requireTenant(ctx), {
          name: args.name,
          role: args.role as TenantRole,
          expiresAt: expiryOf(args.expiresAt),
        }),
    }),
    revokeApiKey: t.field({
      type: ApiKeyRef,
      authScopes: { tenantRole: 'owner' },
      description: 'Revokes one of your tenant’s keys: the next request with it is refused.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.apiKeys.revoke(requireTenant(ctx), args.id),
    }),
    createTenant: t.field({
      type: NewTenantRef,
      authScopes: { platformAdmin: true },
      description: 'Creates a tenant and its first owner key. Platform admins only.',
      args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: false }) },
      resolve: async (_root, args, ctx) => {
        const created = await ctx.services.tenants.createWithOwnerKey(args.id, args.name ?? undefined);
        return { ...created, name: args.name ?? args.id };
      },
    }),
  }));
};
