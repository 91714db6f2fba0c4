import {
  type Config,
  createLogger,
  createRedisClient,
  EventPublisher,
  type MetricsServer,
  serveMetrics,
} from '@ai-org/core';
import {
  createBudgetService,
  createNeo4jDriver,
  TaskAnnouncer,
  TaskRunRepository,
  TenantRepository,
} from '@ai-org/schema';
import { AgentPrompts } from './agent/agent-prompts';
import { RunAgentProcessor } from './agent/run-agent.processor';
import { createLlmProvider, type LlmProvider } from './llm';
import { WorkerMetrics } from './worker-metrics';
import { WorkerPool } from './worker-pool';

export interface Workers {
  start(): Promise<void>;
  /** Stops taking jobs, waits (bounded) for active ones, closes Redis and Neo4j. */
  stop(): Promise<void>;
  readonly pool: WorkerPool;
  readonly llm: LlmProvider;
  readonly metrics: WorkerMetrics;
}

/** Builds the role workers without side effects; `start()` connects and begins taking jobs. */
export const buildWorkers = (config: Config, overrides: { llm?: LlmProvider } = {}): Workers => {
  const logger = createLogger(config.log, 'workers');
  const driver = createNeo4jDriver(config.neo4j);
  const connection = createRedisClient(config.redis.url, 'worker', 'ai-org-workers');
  const budgetRedis = createRedisClient(config.redis.url, 'worker', 'ai-org-workers-budget');
  const llm = overrides.llm ?? createLlmProvider(config.llm);
  const events = new EventPublisher(budgetRedis, (error) => logger.warn({ err: error }, 'could not publish an event'));
  const budget = createBudgetService(config, driver, budgetRedis, events);
  const metrics = new WorkerMetrics();
  const processor = new RunAgentProcessor({
    runs: new TaskRunRepository(driver, config.neo4j.database),
    budget,
    llm,
    prompts: new AgentPrompts(),
    expensiveFailureFactor: config.workers.expensiveFailureFactor,
    logger,
    metrics,
    announcer: new TaskAnnouncer(driver, events, config.neo4j.database),
  });
  const tenants = new TenantRepository(driver, config.neo4j.database);
  const fixedTenants = config.workers.tenants;
  const pool = new WorkerPool({
    connection,
    tenants: () => (fixedTenants ? Promise.resolve(fixedTenants) : tenants.listIds()),
    process: processor.process,
    concurrency: config.workers.concurrency,
    lockDurationMs: config.workers.lockDurationMs,
    stalledIntervalMs: config.workers.stalledIntervalMs,
    backoffMs: config.jobs.backoffMs,
    refreshMs: config.workers.tenantRefreshMs,
    shutdownTimeoutMs: config.workers.shutdownTimeoutMs,
    onError: (error, queue) => logger.warn({ err: error, queue }, 'worker error'),
  });

  let metricsServer: MetricsServer | undefined;
  return {
    pool,
    llm,
    metrics,
    async start() {
      await Promise.all([connection.connect(), budgetRedis.connect()]);
      await pool.start();
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
      await pool.stop();
      await metricsServer?.close();
      connection.disconnect();
      budgetRedis.disconnect();
      await driver.close();
    },
  };
};
