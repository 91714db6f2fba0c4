// The domain's one public entry point, by capability.

// access: API keys (secrets shown once, stored as hashes) and explicit tenants
export {
  accessNameSchema,
  expiryProblem,
  latestExpiry,
  maxAccessNameLength,
  maxApiKeyLifetimeYears,
  type NewApiKeyInput,
  newApiKeySchema,
} from './access/access.input';
export {
  ApiKeyService,
  type ApiKeyServiceOptions,
  type ApiKeyView,
  type CreateApiKeyInput,
  type CreatedApiKey,
  maxApiKeysPerTenant,
  toApiKeyView,
  type VerifiedApiKey,
} from './access/api-key.service';
export {
  apiKeyDisplayLength,
  apiKeyDisplayPrefix,
  apiKeyPattern,
  apiKeyPrefix,
  apiKeySecretLength,
  hashApiKeySecret,
  looksLikeApiKey,
  newApiKeySecret,
} from './access/api-key-secret';
export { firstOwnerKeyName, TenantService, type TenantView, type TenantWithOwnerKey } from './access/tenant.service';
// billing: Stripe top-ups, refunds and disputes, automatic reloads
export {
  type BillingOptions,
  BillingService,
  type BillingStatus,
  microUsdPerCent,
  type ReloadOutcome,
  type WebhookOutcome,
} from './billing/billing.service';
export { createStripeClient, type StripeSettings } from './billing/stripe-client';

// budget: the service over the Redis store and the Neo4j ledger
export { createBudgetService } from './budget/budget.factory';
export { type BudgetPolicy, BudgetService, type BudgetView } from './budget/budget.service';
export { ReservationReconciler, type ReservationReconcilerDeps } from './budget/reservation-reconciler';
export {
  maxUsageRangeDays,
  maxUsageRows,
  parseUsageTime,
  type UsagePeriod,
  type UsageRequest,
  usagePeriod,
} from './budget/usage.input';
export { type UsageRow, UsageService, type UsageStatement } from './budget/usage.service';
export { createDomain, type Domain, type DomainClients, type DomainHooks, type Repositories } from './create-domain';

// dispatch: ready tasks → reserved budget → role queues
export {
  type Dispatched,
  type DispatchObserver,
  DispatchService,
  type DispatchSummary,
} from './dispatch/dispatch.service';
export { GoalService, maxGoalLength } from './goals/goal.service';
// goals
export { describeBacklogWait, isPerson, type OpenBacklog } from './goals/goal-wait';
export {
  maxSpendApprovalUsd,
  PlanApprovalService,
  type PlanApprovalView,
  type SpendApprovalView,
} from './goals/plan-approval.service';

// inspection: blocked tasks, critical path, progress, admission order, forecast
export { admissionOrder, admissionRank, plannedCost, rankForAdmission } from './inspection/admission';
export { forecast } from './inspection/forecast';
export { inspect } from './inspection/inspect';
export { type ForecastReport, type InspectionReport, InspectionService } from './inspection/inspection.service';
export type {
  CriticalPath,
  Forecast,
  ForecastInput,
  InspectedTask,
  Inspection,
  LongestChainByCount,
  LongestChainByTokens,
} from './inspection/inspection.types';
export { syntheticDag } from './inspection/synthetic-dag';
export {
  type TenantLimits,
  type TenantLimitsChange,
  type TenantLimitsPolicy,
  TenantLimitsService,
  type TenantLimitsView,
} from './limits/tenant-limits.service';

// notifications: webhooks, their messages and the queue that delivers them
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
export { canonicalHost, isInternalAddress, isLoopbackHost } from './notifications/webhook-address';
export { checkWebhookUrl, maskWebhookUrl, type WebhookUrlCheck } from './notifications/webhook-url';

// tasks: input rules, the DAG's cycle check, the service every entry point shares
export { findCycle } from './tasks/dag';
export { demoPlan } from './tasks/demo-plan';
export {
  maxDescriptionLength,
  type NewTaskInput,
  newTaskSchema,
  type PlanInput,
  planSchema,
  taskStatusSchema,
  tenantIdSchema,
} from './tasks/task.input';
export { maxBacklogLimit, TaskService } from './tasks/task.service';

// workspaces: a git repository per goal (branches, gate merges, releases)
export { GitError, isGitError, type RunGitOptions, runGit } from './workspaces/git';
export {
  maxWorkspaceFileBytes,
  maxWorkspacePathLength,
  type ReleaseDownload,
  type ReleasePart,
  type WorkspaceFileView,
  WorkspaceService,
} from './workspaces/workspace.service';
export { isWorkspaceError, WorkspaceError, type WorkspaceErrorCode } from './workspaces/workspace-error';
export {
  isWorkspaceFileError,
  WorkspaceFileError,
  type WorkspaceFileErrorCode,
} from './workspaces/workspace-file-error';
export {
  applyPatch as applyWorkspacePatch,
  type FileList,
  listFiles as listWorkspaceFiles,
  maxPatchFiles,
  type PatchResult,
  readFile as readWorkspaceFile,
  writeFile as writeWorkspaceFile,
} from './workspaces/workspace-files';
export { releaseTagPattern } from './workspaces/workspace-layout';
export { normalizeRelativePath, resolveInside, WorkspacePathError } from './workspaces/workspace-paths';
export { type MergePreview, type Release, type WorkspaceDiff, WorkspaceStore } from './workspaces/workspace-store';
