export { createBudgetService } from './budget/budget.factory';
export { type BudgetPolicy, BudgetService, type BudgetView } from './budget/budget.service';
export { type LedgerKind, LedgerRepository, type LedgerWrite } from './budget/ledger.repository';
export { type Dispatched, DispatchService, type DispatchSummary } from './dispatch/dispatch.service';
export { type Announcer, silentAnnouncer, TaskAnnouncer } from './events/task-announcer';
export { type Goal, GoalRepository, type GoalStatus, maxGoalLength } from './goals/goal.repository';
export {
  admissionOrder,
  admissionRank,
  type CriticalPath,
  type Forecast,
  forecast,
  type InspectedTask,
  type Inspection,
  inspect,
  rankForAdmission,
} from './inspection';
export { migrate, migrations } from './migrations';
export { createNeo4jDriver, type Neo4jOptions } from './neo4j-driver';
export { buildNeo4jSchema } from './neo4j-schema';
export { NotificationPublisher, type NotificationPublisherDeps } from './notifications/notification.publisher';
export {
  maxWebhooksPerTenant,
  NotificationService,
  type TestWebhookResult,
  toWebhookView,
  type WebhookView,
} from './notifications/notification.service';
export { clip, notificationEventKey, testEvent } from './notifications/notification-event';
export {
  type DiscordPayload,
  describeEvent,
  discordPayload,
  type NotificationMessage,
  notificationPayload,
  type SlackPayload,
  slackPayload,
} from './notifications/notification-message';
export {
  type AddWebhookOutcome,
  newWebhookId,
  type WebhookRecord,
  WebhookRepository,
} from './notifications/webhook.repository';
export { checkWebhookUrl, maskWebhookUrl, type WebhookUrlCheck } from './notifications/webhook-url';
export { demoPlan } from './seed/demo-plan';
export { findCycle } from './tasks/dag';
export {
  maxDescriptionLength,
  type NewTaskInput,
  newTaskSchema,
  type PlanInput,
  planSchema,
  taskStatusSchema,
  tenantIdSchema,
} from './tasks/task.input';
export { type CreatedPlan, TaskRepository } from './tasks/task.repository';
export { maxBacklogLimit, TaskService } from './tasks/task.service';
export {
  type DependencyEdge,
  type TaskGraph,
  type TaskRecord,
  type TaskStatus,
  taskStatuses,
} from './tasks/task.types';
export { newTaskId, taskIdPattern } from './tasks/task-id';
export {
  type ArtifactInput,
  type DependencyOutput,
  type DispatchClaim,
  type RunStart,
  TaskRunRepository,
} from './tasks/task-run.repository';
export { TenantRepository } from './tenants/tenant.repository';
export { typeDefs } from './type-defs';
