import { AppError, type Config } from '@ai-org/core';
import type { ApolloServerPlugin } from '@apollo/server';
import { toHttpGraphQLError } from './retry-after';
import { TenantSlots } from './tenant-slots';

/** Requests without an identity share one bucket, so together they can never hold more than one tenant. */
export const anonymousBucket = '(anonymous)';
/** Identities of no tenant (platform admins) share another; neither name can be a tenant id. */
export const noTenantBucket = '(no tenant)';

/** What the plugin reads of the request context (RequestContext has it). */
export interface TenantScopedContext {
  readonly identity?: { readonly tenantId: string | null } | undefined;
}

/** The bucket an operation counts against. */
export const bucketOf = ({ identity }: TenantScopedContext): string =>
  identity ? (identity.tenantId ?? noTenantBucket) : anonymousBucket;

export interface TenantCaps {
  /** GraphQL operations running at once per tenant (each root field of one holds a Neo4j connection). */
  readonly operations: TenantSlots;
  /** Open WebSockets per tenant. */
  readonly sockets: TenantSlots;
  /** Call when a socket of the tenant is accepted; false = refuse it (the tenant has `socketsPerTenant` open). */
  openSocket(tenantId: string): boolean;
  /** Call when a socket that `openSocket` accepted closes. */
  closeSocket(tenantId: string): void;
}

/** The per-tenant caps of one API instance (in-process; see TenantSlots). */
export const createTenantCaps = (limits: Config['limits']): TenantCaps => {
  const operations = new TenantSlots(limits.tenantConcurrentOperations);
  const sockets = new TenantSlots(limits.socketsPerTenant);
  return {
    operations,
    sockets,
    openSocket: (tenantId) => sockets.tryAcquire(tenantId),
    closeSocket: (tenantId) => sockets.release(tenantId),
  };
};

export const tooManyOperations = (): AppError =>
  new AppError('RATE_LIMITED', 'Too many operations of this tenant are running, retry in 1 s', {
    details: { retryAfterSeconds: 1 },
  });

/**
 * Caps the GraphQL operations one tenant runs at once, so one tenant can never hold the whole Neo4j
 * pool. A slot is taken once the operation is resolved (the context and its identity exist, the
 * document is valid) and given back when execution ends or the response is sent, whichever comes
 * first. Over the cap the operation is refused at once with RATE_LIMITED (429, Retry-After: 1), never
 * queued. Only a plugin whose `responseForOperation` or `executionDidStart` throws could skip both
 * release points; none of ours does.
 */
export const tenantOperationsPlugin = <T extends TenantScopedContext>(slots: TenantSlots): ApolloServerPlugin<T> => ({
  async requestDidStart() {
    let holder: string | undefined;
    const release = () => {
      if (holder === undefined) return;
      slots.release(holder);
      holder = undefined;
    };
    return {
      async didResolveOperation({ contextValue }) {
        const tenant = bucketOf(contextValue);
        if (!slots.tryAcquire(tenant)) throw toHttpGraphQLError(tooManyOperations());
        holder = tenant;
      },
      async executionDidStart() {
        return { executionDidEnd: async () => release() };
      },
      async willSendResponse() {
        release();
      },
    };
  },
});
