import { resolve } from 'node:path';
import {
  agentBackoffType,
  agentQueueName,
  agentRoles,
  type Config,
  checkRedisPolicy,
  createLogger,
  createRedisClient,
  type Logger,
  type MetricsServer,
  notificationBackoffType,
  notificationConcurrency,
  notificationQueueName,
  serveMetrics,
} from '@ai-org/core';
import { createDomain } from '@ai-org/domain';
import { createNeo4jDriver } from '@ai-org/schema';
import { AgentPrompts } from './agent/agent-prompts';
import { AgentLoop, StepRefusedError } from './agent/loop/agent-loop';
import { MergeGate } from './agent/loop/merge-gate';
import { WorkspaceAgent } from './agent/loop/workspace-agent';
import { RunAgentProcessor } from './agent/run-agent.processor';
import { jobBackoff } from './jobs/job-backoff';
import { PermanentJobError } from './jobs/job-errors';
import { buildTenantLimits } from './limits/tenant-limits.factory';
import { canTakeSteps, createLlmProvider, type LlmProvider, type ToolStepProvider } from './llm';
import { NotificationProcessor } from './notifications/notification.processor';
import { createWebhookSender } from './notifications/webhook.sender';
import { servedTenants } from './served-tenants';
import { WorkerMetrics } from './worker-metrics';
import { WorkerPool } from './worker-pool';

export interface Workers {
  start(): Promise<void>;
  /** Stops taking jobs, waits (bounded) for active ones, closes Redis and Neo4j. */
  stop(): Promise<void>;
  readonly pool: WorkerPool;
  readonly llm: LlmProvider;
  readonly metrics: WorkerMetrics;
  /** Slack and Discord webhooks: one worker per tenant's notification queue, apart from the pool. */
  readonly notifications: WorkerPool;
}

/** Builds the role workers without side effects; `start()` connects and begins taking jobs. */
export const buildWorkers = (config: Config, overrides: { llm?: LlmProvider; logger?: Logger } = {}): Workers => {
  const logger = overrides.logger ?? createLogger(config.log, 'workers');
  const driver = createNeo4jDriver(config.neo4j);
  const connection = createRedisClient(config.redis, 'worker', 'ai-org-workers');
  const budgetRedis = createRedisClient(config.redis, 'worker', 'ai-org-workers-budget');
  const llm = overrides.llm ?? createLlmProvider(config.llm);
  const domain = createDomain(config, { driver, redis: budgetRedis, logger });
  const metrics = new WorkerMetrics();
  // Jobs running at once and LLM tokens per minute, per tenant, across every worker process.
  const limits = buildTenantLimits(config, { redis: budgetRedis, domain, metrics, logger });
  const { agents } = config;
  // Agents' tests see neither other workspaces nor the platform's own folder (its .env, its data).
  const sandbox = { limits: agents.sandbox, hide: [resolve(agents.workspaceRoot), process.cwd()] };
  const buildWorkspaceAgent = (provider: ToolStepProvider) =>
    new WorkspaceAgent({
      store: domain.workspaceStore,
      records: domain.repositories.workspaces,
      runs: domain.repositories.runs,
      loop: new AgentLoop({
        provider,
        steps: domain.repositories.workspaces,
        budget: domain.budget,
        maxSteps: agents.maxSteps,
        stepMaxTokens: agents.stepMaxTokens,
        // A refusal no retry can fix fails the task; anything else is retried by the job queue.
        classify: (error) =>
          error instanceof PermanentJobError
            ? new StepRefusedError(`LLM refused: ${error.message}`)
            : error instanceof Error
              ? error
              : new Error(String(error)),
        tokens: limits.limiter,
      }),
      gate: new MergeGate({
        store: domain.workspaceStore,
        records: domain.repositories.workspaces,
        sandbox,
      }),
      provider,
      budget: domain.budget,
      events: domain.events,
      sandbox,
      gateRounds: agents.gateRounds,
      expensiveFailureFactor: config.workers.expensiveFailureFactor,
      contextTokens: Math.floor(agents.stepMaxTokens / 2),
    });
  // A stand-in provider without tool steps (some tests) runs goals' tasks as single completions.
  const workspaceAgent = canTakeSteps(llm) ? buildWorkspaceAgent(llm) : undefined;
  const processor = new RunAgentProcessor({
    runs: domain.repositories.runs,
    budget: domain.budget,
    llm,
    prompts: new AgentPrompts(),
    expensiveFailureFactor: config.workers.expensiveFailureFactor,
    logger,
    metrics,
    announcer: domain.announcer,
    backoffMs: config.jobs.backoffMs,
    workspaceAgent,
    limits,
  });
  const tenants = servedTenants(config.workers.tenants, domain.repositories.tenants, {
    refreshMs: config.workers.tenantRefreshMs,
  });
  const pool = new WorkerPool({
    connection,
    tenants: tenants.list,
    queuesOf: (tenantId) => agentRoles.map((role) => agentQueueName(tenantId, role)),
    process: processor.process,
    concurrency: config.workers.concurrency,
    lockDurationMs: config.workers.lockDurationMs,
    stalledIntervalMs: config.workers.stalledIntervalMs,
    backoff: { type: agentBackoffType, strategy: jobBackoff(config.jobs.backoffMs) },
    refreshMs: config.workers.tenantRefreshMs,
    shutdownTimeoutMs: config.workers.shutdownTimeoutMs,
    onError: (error, queue) => logger.warn({ err: error, queue }, 'worker error'),
    onStalledOut: processor.afterStalledOut,
  });
  const notifications = new WorkerPool({
    connection,
    tenants: tenants.list,
    queuesOf: (tenantId) => [notificationQueueName(tenantId)],
    concurrency: notificationConcurrency,
    process: new NotificationProcessor({
      webhooks: domain.repositories.webhooks,
      send: createWebhookSender({
        timeoutMs: config.notifications.timeoutMs,
        allowedHosts: config.notifications.allowedHosts,
      }),
      metrics,
      logger,
    }).process,
    backoff: { type: notificationBackoffType, strategy: jobBackoff(config.notifications.backoffMs) },
    lockDurationMs: config.workers.lockDurationMs,
    refreshMs: config.workers.tenantRefreshMs,
    shutdownTimeoutMs: config.workers.shutdownTimeoutMs,
    onError: (error, queue) => logger.warn({ err: error, queue }, 'notification worker error'),
  });

  let metricsServer: MetricsServer | undefined;
  return {
    pool,
    llm,
    metrics,
    notifications,
    async start() {
      await Promise.all([connection.connect(), budgetRedis.connect()]);
      await checkRedisPolicy(config.redis, { production: config.env === 'production', logger });
      await pool.start();
      await notifications.start();
      if (config.workers.metricsPort > 0) {
        metricsServer = await serveMetrics(metrics.registry, config.http.host, config.workers.metricsPort);
      }
      const label =
        llm.name === 'offline'
          ? 'OFFLINE provider (no language model; output is labelled offline)'
          : `${llm.name} ${llm.model}`;
      logger.info({ queues: pool.queueNames.length, llm: label }, 'role workers started');
    },
    async stop() {
      await Promise.all([pool.stop(), notifications.stop()]);
      await metricsServer?.close();
      await domain.close();
      connection.disconnect();
      budgetRedis.disconnect();
      await driver.close();
    },
  };
};
