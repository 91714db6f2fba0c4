import type {
  ApiKeyService,
  BillingService,
  BudgetService,
  DispatchService,
  GoalService,
  InspectionService,
  NotificationService,
  PlanApprovalService,
  TaskService,
  TenantLimitsService,
  TenantService,
  UsageService,
  WorkspaceService,
} from '@ai-org/domain';
import type { Identity, JwtClaims } from './auth/identity';
import type { LiveEvents } from './live/live-events';

export interface Services {
  readonly tasks: TaskService;
  readonly budget: BudgetService;
  readonly billing: BillingService;
  readonly usage: UsageService;
  readonly dispatch: DispatchService;
  readonly goals: GoalService;
  readonly planApprovals: PlanApprovalService;
  readonly inspection: InspectionService;
  readonly live: LiveEvents;
  readonly notifications: NotificationService;
  readonly apiKeys: ApiKeyService;
  readonly tenants: TenantService;
  readonly limits: TenantLimitsService;
  readonly workspaces: WorkspaceService;
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
