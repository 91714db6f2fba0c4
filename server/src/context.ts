import { AppError } from '@ai-org/core';
import type {
  BudgetService,
  DispatchService,
  GoalService,
  InspectionService,
  NotificationService,
  TaskService,
} from '@ai-org/domain';
import type { Identity, JwtClaims } from './auth/identity';
import type { LiveEvents } from './live/live-events';

export interface Services {
  readonly tasks: TaskService;
  readonly budget: BudgetService;
  readonly dispatch: DispatchService;
  readonly goals: GoalService;
  readonly inspection: InspectionService;
  readonly live: LiveEvents;
  readonly notifications: NotificationService;
}

/** The per-request context of both the generated (Neo4j) and the custom (Pothos) resolvers. */
export interface RequestContext {
  readonly identity: Identity | undefined;
  /** Read by @neo4j/graphql's @authorization filters; undefined means anonymous. */
  readonly jwt: JwtClaims | undefined;
  readonly services: Services;
  /** Read by @neo4j/graphql when it opens a session: the database of the generated reads (NEO4J_DATABASE). */
  readonly sessionConfig?: { readonly database: string };
}

/** Pothos resolvers bypass @authorization, so each one asks for the tenant explicitly. */
export const requireTenant = (context: RequestContext): string => {
  if (!context.identity) {
    throw new AppError('UNAUTHENTICATED', 'Name your tenant with the x-tenant-id header');
  }
  return context.identity.tenantId;
};

/** Budget administration is for admins only (for now: the x-admin-token header). */
export const requireAdmin = (context: RequestContext): string => {
  const tenantId = requireTenant(context);
  if (!context.identity?.isAdmin) throw new AppError('FORBIDDEN', 'Only an admin may change budgets (x-admin-token)');
  return tenantId;
};
