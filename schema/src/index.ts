export {
  type ApiKeyRecord,
  ApiKeyRepository,
  type ApiKeyWithHash,
  apiKeyIdPattern,
  type CreateApiKeyOutcome,
  type NewApiKeyRecord,
  newApiKeyId,
} from './access/api-key.repository';
export {
  type AutoReloadSettings,
  type BillingAccount,
  BillingRepository,
  type TopUpRecord,
} from './billing/billing.repository';
export type { ChargeDetails, ChargeRole } from './budget/charge-details';
export { type LedgerKind, LedgerRepository, type LedgerWrite } from './budget/ledger.repository';
export {
  type UsageAggregate,
  type UsageGroup,
  type UsageGroupRecord,
  type UsageRange,
  UsageRepository,
  type UsageTotals,
  usageGroups,
} from './budget/usage.repository';
export { type Announcer, type SnapshotAnnouncer, silentAnnouncer, TaskAnnouncer } from './events/task-announcer';
export { type Goal, GoalRepository, type GoalStatus } from './goals/goal.repository';
export {
  type PlanApprovalRecord,
  PlanApprovalRepository,
  type PlanApprovalState,
  type PlanDecision,
  planHashOf,
} from './goals/plan-approval.repository';
export { migrate, migrations } from './migrations';
export { createNeo4jDriver, type Neo4jOptions, withTransactionTimeout } from './neo4j-driver';
export { buildNeo4jSchema } from './neo4j-schema';
export {
  type AddWebhookOutcome,
  newWebhookId,
  type WebhookRecord,
  WebhookRepository,
} from './notifications/webhook.repository';
export { dispatchCandidates } from './tasks/dispatch-candidates';
export { type CreatedPlan, TaskRepository } from './tasks/task.repository';
export {
  type DependencyEdge,
  type NewTaskRecord,
  type PlanRecord,
  type TaskGraph,
  type TaskRecord,
  type TaskState,
  type TaskStatus,
  taskStatuses,
} from './tasks/task.types';
export { type TaskField, taskFields } from './tasks/task-graph.columns';
export { type TaskHold, TaskHoldRepository } from './tasks/task-hold.repository';
export { newTaskId, taskIdPattern } from './tasks/task-id';
export {
  type RoleAssignment,
  TaskRoutingRepository,
  type UnroutedTask,
} from './tasks/task-routing.repository';
export {
  type ArtifactInput,
  type BudgetWait,
  type ClaimUndo,
  type DependencyOutput,
  type DispatchClaim,
  type GoalContext,
  type RunCompletion,
  type RunFailure,
  type RunStart,
  type StaleTask,
  TaskRunRepository,
} from './tasks/task-run.repository';
export {
  allowedByHand,
  creatableStatuses,
  handRefusal,
  handStatusesForPeopleOnly,
  handTransitions,
  isCreatableStatus,
  runTransitions,
  type TransitionRule,
} from './tasks/task-transitions';
export { TenantRepository } from './tenants/tenant.repository';
export { type StoredTenantLimits, TenantLimitsRepository } from './tenants/tenant-limits.repository';
export { typeDefs } from './type-defs';
export { type NewAgentStep, type NewTestRun, WorkspaceRepository } from './workspaces/workspace.repository';
export type {
  AgentStepRecord,
  MergeRecord,
  ReleaseRecord,
  StoredToolCall,
  StoredToolResult,
  TestRunKind,
  TestRunRecord,
  WorkspaceRecord,
} from './workspaces/workspace.types';
