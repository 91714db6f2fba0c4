import { AppError } from '@ai-org/core';
import type { TaskService } from '@ai-org/schema';
import type { Identity, JwtClaims } from './auth/identity';

export interface Services {
  readonly tasks: TaskService;
}

/** The per-request context of both the generated (Neo4j) and the custom (Pothos) resolvers. */
export interface RequestContext {
  readonly identity: Identity | undefined;
  /** Read by @neo4j/graphql's @authorization filters; undefined means anonymous. */
  readonly jwt: JwtClaims | undefined;
  readonly services: Services;
}

/** Pothos resolvers bypass @authorization, so each one asks for the tenant explicitly. */
export const requireTenant = (context: RequestContext): string => {
  if (!context.identity) {
    throw new AppError('UNAUTHENTICATED', 'Name your tenant with the x-tenant-id header');
  }
  return context.identity.tenantId;
};
