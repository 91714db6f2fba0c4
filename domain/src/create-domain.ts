import {
  AgentQueues,
  type Config,
  EventPublisher,
  type Logger,
  NotificationQueues,
  type TenantEventSink,
} from '@ai-org/core';
import {
  ApiKeyRepository,
  GoalRepository,
  LedgerRepository,
  TaskAnnouncer,
  TaskRepository,
  TaskRoutingRepository,
  TaskRunRepository,
  TenantRepository,
  WebhookRepository,
  WorkspaceRepository,
} from '@ai-org/schema';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { ApiKeyService } from './access/api-key.service';
import { TenantService } from './access/tenant.service';
import { createBudgetService } from './budget/budget.factory';
import type { BudgetService } from './budget/budget.service';
import { DispatchService } from './dispatch/dispatch.service';
import { GoalService } from './goals/goal.service';
import { InspectionService } from './inspection/inspection.service';
import { NotificationPublisher } from './notifications/notification.publisher';
import { NotificationService } from './notifications/notification.service';
import { TaskService } from './tasks/task.service';
import { WorkspaceService } from './workspaces/workspace.service';
import { WorkspaceStore } from './workspaces/workspace-store';

/** The connections a process opens and closes itself; the domain only uses them. */
export interface DomainClients {
  readonly driver: Driver;
  /** Commands: budget scripts, queue producers and event publishing. */
  readonly redis: Redis;
  readonly logger: Logger;
}

export interface Repositories {
  readonly tasks: TaskRepository;
  readonly runs: TaskRunRepository;
  readonly routing: TaskRoutingRepository;
  readonly ledger: LedgerRepository;
  readonly goals: GoalRepository;
  readonly webhooks: WebhookRepository;
  readonly tenants: TenantRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly workspaces: WorkspaceRepository;
}

/** Every repository and service, wired once the same way for the API, the workers and the orchestrator. */
export interface Domain {
  readonly repositories: Repositories;
  readonly events: TenantEventSink;
  readonly announcer: TaskAnnouncer;
  readonly tasks: TaskService;
  readonly goals: GoalService;
  readonly budget: BudgetService;
  readonly dispatch: DispatchService;
  readonly inspection: InspectionService;
  readonly notifications: NotificationService;
  readonly notificationPublisher: NotificationPublisher;
  /** API keys: create (secret shown once), verify, list, revoke. */
  readonly apiKeys: ApiKeyService;
  /** Explicit tenants: create (with a first owner key), exists. */
  readonly tenants: TenantService;
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
export const createDomain = (config: Config, { driver, redis, logger }: DomainClients): Domain => {
  const database = config.neo4j.database;
  const repositories: Repositories = {
    tasks: new TaskRepository(driver, database),
    runs: new TaskRunRepository(driver, database),
    routing: new TaskRoutingRepository(driver, database),
    ledger: new LedgerRepository(driver, database),
    goals: new GoalRepository(driver, database),
    webhooks: new WebhookRepository(driver, database),
    tenants: new TenantRepository(driver, database),
    apiKeys: new ApiKeyRepository(driver, database),
    workspaces: new WorkspaceRepository(driver, database),
  };
  const workspaceStore = new WorkspaceStore({ root: config.agents.workspaceRoot });
  const events = new EventPublisher(redis, (error) => logger.warn({ err: error }, 'could not publish an event'));
  const announcer = new TaskAnnouncer(driver, events, database);
  const budget = createBudgetService(config, repositories.ledger, redis, events);
  const queues = new AgentQueues(redis, config.jobs);
  const notificationQueues = new NotificationQueues(redis, config.notifications);
  const tasks = new TaskService(repositories.tasks, announcer);
  const apiKeys = new ApiKeyService(repositories.apiKeys, {
    onTouchError: (error) => logger.warn({ err: error }, 'could not record an API key’s last use'),
  });
  return {
    repositories,
    events,
    announcer,
    tasks,
    goals: new GoalService(repositories.goals),
    budget,
    dispatch: new DispatchService(repositories.runs, budget, queues, announcer),
    inspection: new InspectionService(tasks, budget, redis),
    notifications: new NotificationService(repositories.webhooks, notificationQueues, {
      allowedHosts: config.notifications.allowedHosts,
      ownServicePorts: config.notifications.ownServicePorts,
    }),
    notificationPublisher: new NotificationPublisher({
      webhooks: repositories.webhooks,
      queues: notificationQueues,
      logger,
    }),
    apiKeys,
    tenants: new TenantService(repositories.tenants, apiKeys),
    workspaceStore,
    workspaces: new WorkspaceService(repositories.workspaces, workspaceStore),
    queues,
    notificationQueues,
    async close() {
      await Promise.all([queues.close(), notificationQueues.close()]);
    },
  };
};
