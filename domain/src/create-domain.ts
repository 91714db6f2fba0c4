import {
  AgentQueues,
  type Config,
  EventPublisher,
  type Logger,
  NotificationQueues,
  type RedisClient,
  type TenantEventSink,
} from '@ai-org/core';
import {
  ApiKeyRepository,
  BillingRepository,
  GoalRepository,
  LedgerRepository,
  PlanApprovalRepository,
  TaskAnnouncer,
  TaskHoldRepository,
  TaskRepository,
  TaskRoutingRepository,
  TaskRunRepository,
  TenantLimitsRepository,
  TenantRepository,
  UsageRepository,
  WebhookRepository,
  WorkspaceRepository,
} from '@ai-org/schema';
import type { Driver } from 'neo4j-driver';
import { ApiKeyService } from './access/api-key.service';
import { TenantService } from './access/tenant.service';
import { BillingService } from './billing/billing.service';
import { createStripeClient } from './billing/stripe-client';
import { createBudgetService } from './budget/budget.factory';
import type { BudgetService } from './budget/budget.service';
import { UsageService } from './budget/usage.service';
import { type DispatchObserver, DispatchService } from './dispatch/dispatch.service';
import { GoalService } from './goals/goal.service';
import { PlanApprovalService } from './goals/plan-approval.service';
import { InspectionService } from './inspection/inspection.service';
import { TenantLimitsService } from './limits/tenant-limits.service';
import { NotificationPublisher } from './notifications/notification.publisher';
import { NotificationService } from './notifications/notification.service';
import { TaskService } from './tasks/task.service';
import { WorkspaceService } from './workspaces/workspace.service';
import { WorkspaceStore } from './workspaces/workspace-store';

/** The connections a process opens and closes itself; the domain only uses them. */
export interface DomainClients {
  readonly driver: Driver;
  /** Commands: budget scripts, queue producers and event publishing. */
  readonly redis: RedisClient;
  readonly logger: Logger;
}

export interface Repositories {
  readonly tasks: TaskRepository;
  readonly runs: TaskRunRepository;
  readonly routing: TaskRoutingRepository;
  readonly ledger: LedgerRepository;
  readonly billing: BillingRepository;
  readonly usage: UsageRepository;
  readonly goals: GoalRepository;
  readonly planApprovals: PlanApprovalRepository;
  readonly webhooks: WebhookRepository;
  readonly tenants: TenantRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly workspaces: WorkspaceRepository;
  /** A tenant's own limits (running jobs, tokens per minute), on its Tenant node. */
  readonly tenantLimits: TenantLimitsRepository;
  /** Why a task's job waits for a tenant limit (its statusReason). */
  readonly taskHolds: TaskHoldRepository;
}

/** What a process observes of the domain for its own metrics. */
export interface DomainHooks {
  /** Each dispatch's outcome and duration (the API and the orchestrator export it as a histogram). */
  readonly onDispatch?: DispatchObserver;
}

/** Every repository and service, wired once the same way for the API, the workers and the orchestrator. */
export interface Domain {
  readonly repositories: Repositories;
  readonly events: TenantEventSink;
  readonly announcer: TaskAnnouncer;
  readonly tasks: TaskService;
  readonly goals: GoalService;
  /** Spend approval: the tenant's threshold and owners' decisions on plans above it. */
  readonly planApprovals: PlanApprovalService;
  readonly budget: BudgetService;
  readonly billing: BillingService;
  /** Usage statements: what the ledger charged, by day, role and goal. */
  readonly usage: UsageService;
  readonly dispatch: DispatchService;
  readonly inspection: InspectionService;
  readonly notifications: NotificationService;
  readonly notificationPublisher: NotificationPublisher;
  /** API keys: create (secret shown once), verify, list, revoke. */
  readonly apiKeys: ApiKeyService;
  /** Explicit tenants: create (with a first owner key), exists. */
  readonly tenants: TenantService;
  /** Per-tenant limits: jobs running at once, LLM tokens per minute. */
  readonly limits: TenantLimitsService;
  /** Goals' git repositories on disk (WORKSPACE_ROOT): branches, gate merges, releases. */
  readonly workspaceStore: WorkspaceStore;
  /** Reading workspaces for the API. */
  readonly workspaces: WorkspaceService;
  readonly queues: AgentQueues;
  readonly notificationQueues: NotificationQueues;
  /** Closes the queues the domain opened; the clients stay open for their owner to close. */
  close(): Promise<void>;
}

/** Builds the domain without side effects: queues connect on first use, through the given Redis client. */
export const createDomain = (
  config: Config,
  { driver, redis, logger }: DomainClients,
  hooks: DomainHooks = {},
): Domain => {
  const database = config.neo4j.database;
  const repositories: Repositories = {
    tasks: new TaskRepository(driver, database),
    runs: new TaskRunRepository(driver, database),
    routing: new TaskRoutingRepository(driver, database),
    ledger: new LedgerRepository(driver, database),
    billing: new BillingRepository(driver, database),
    usage: new UsageRepository(driver, database),
    goals: new GoalRepository(driver, database),
    planApprovals: new PlanApprovalRepository(driver, database),
    webhooks: new WebhookRepository(driver, database),
    tenants: new TenantRepository(driver, database),
    apiKeys: new ApiKeyRepository(driver, database),
    workspaces: new WorkspaceRepository(driver, database),
    tenantLimits: new TenantLimitsRepository(driver, database),
    taskHolds: new TaskHoldRepository(driver, database),
  };
  const workspaceStore = new WorkspaceStore({ root: config.agents.workspaceRoot });
  const events = new EventPublisher(redis, (error) => logger.warn({ err: error }, 'could not publish an event'));
  const announcer = new TaskAnnouncer(driver, events, database);
  const budget = createBudgetService(config, repositories.ledger, redis, events, {
    monthlyCapOf: async (tenantId) => (await repositories.billing.account(tenantId)).monthlySpendCapMicroUsd,
  });
  const queues = new AgentQueues(redis, config.jobs);
  const notificationQueues = new NotificationQueues(redis, config.notifications);
  const tasks = new TaskService(repositories.tasks, announcer);
  const apiKeys = new ApiKeyService(repositories.apiKeys, {
    onTouchError: (error) => logger.warn({ err: error }, 'could not record an API key’s last use'),
  });
  const notificationPublisher = new NotificationPublisher({
    webhooks: repositories.webhooks,
    queues: notificationQueues,
    logger,
  });
  const stripe = config.billing.stripe;
  const billing = new BillingService({
    repository: repositories.billing,
    budget,
    tenants: repositories.tenants,
    notifications: notificationPublisher,
    redis,
    logger,
    ...(stripe ? { stripe: { client: createStripeClient(stripe), webhookSecret: stripe.webhookSecret } } : {}),
    returnUrl: config.billing.returnUrl,
    topUpMinMicroUsd: config.billing.topUpMinMicroUsd,
    topUpMaxMicroUsd: config.billing.topUpMaxMicroUsd,
  });
  return {
    repositories,
    events,
    announcer,
    tasks,
    goals: new GoalService(repositories.goals),
    planApprovals: new PlanApprovalService(repositories.planApprovals, budget, events, announcer),
    budget,
    usage: new UsageService(repositories.usage),
    dispatch: new DispatchService(repositories.runs, budget, queues, announcer, hooks.onDispatch),
    inspection: new InspectionService(tasks, budget, redis),
    notifications: new NotificationService(repositories.webhooks, notificationQueues, {
      allowedHosts: config.notifications.allowedHosts,
      ownServicePorts: config.notifications.ownServicePorts,
    }),
    notificationPublisher,
    billing,
    apiKeys,
    tenants: new TenantService(repositories.tenants, apiKeys),
    limits: new TenantLimitsService(repositories.tenantLimits, config.tenantLimits),
    workspaceStore,
    workspaces: new WorkspaceService(repositories.workspaces, workspaceStore),
    queues,
    notificationQueues,
    async close() {
      await Promise.all([queues.close(), notificationQueues.close()]);
    },
  };
};
