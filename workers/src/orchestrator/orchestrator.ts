import {
  allTenantEventsPattern,
  type Config,
  checkRedisPolicy,
  createLogger,
  createRedisClient,
  type Logger,
  type MetricsServer,
  microUsdPerUsd,
  parseTenantEvent,
  queueStates,
  serveMetrics,
  type TenantEvent,
  type TickOutcome,
} from '@ai-org/core';
import { createDomain, ReservationReconciler } from '@ai-org/domain';
import { createNeo4jDriver } from '@ai-org/schema';
import { createLlmProvider, type LlmProvider } from '../llm';
import { servedTenants } from '../served-tenants';
import { AlertTracker } from './alerts';
import { AutoReloadWatch } from './auto-reload-watch';
import { GoalPlanner } from './goal-planner';
import { OrchestratorMetrics } from './orchestrator-metrics';
import { Planner } from './planning/planner';
import { RoleRouter } from './planning/role-router';
import { ReleaseShipper } from './release-shipper';
import { Scheduler, type TickReport } from './scheduler';
import { TaskRouting } from './task-routing';
import type { TickFigures } from './tick-line';

export interface Orchestrator {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Ticks one tenant now (serialised with any tick already running for it). */
  tick(tenantId: string): Promise<TickReport>;
  readonly metrics: OrchestratorMetrics;
}

/**
 * Logs a tenant's tick line (the message) with its figures as fields, when it changed and otherwise
 * about once a minute, so idle tenants stay quiet.
 */
const logChangedLines = (logger: Logger, everyNth = 12) => {
  const last = new Map<string, { line: string; repeats: number }>();
  return (line: string, { tenantId, ...figures }: TickFigures) => {
    const previous = last.get(tenantId);
    if (previous?.line === line && previous.repeats < everyNth) {
      previous.repeats += 1;
      return;
    }
    last.set(tenantId, { line, repeats: 1 });
    logger.info({ tenant: tenantId, figures }, line);
  };
};

export interface OrchestratorOverrides {
  readonly llm?: LlmProvider;
  readonly onTick?: (line: string, figures: TickFigures) => void;
  readonly logger?: Logger;
}

/** Events after which a tenant's tick may find something new to do. */
const wakesTheScheduler = (event: TenantEvent): boolean =>
  (event.kind === 'task' && (event.task.status === 'done' || event.task.status === 'failed')) ||
  (event.kind === 'budget' && event.budget.credited === true) ||
  (event.kind === 'plan' && event.plan.phase === 'approved');

/**
 * The orchestrator process: a periodic sweep over the tenants plus a wake-up whenever a worker
 * announces a finished task. Several may run at once: claims in Neo4j keep each task dispatched once.
 */
export const buildOrchestrator = (config: Config, overrides: OrchestratorOverrides = {}): Orchestrator => {
  const logger = overrides.logger ?? createLogger(config.log, 'orchestrator');
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis, 'worker', 'ai-org-orchestrator');
  const subscriber = createRedisClient(config.redis, 'worker', 'ai-org-orchestrator-events');
  const llm = overrides.llm ?? createLlmProvider(config.llm);
  // The metrics read the domain's queues and the domain reports each dispatch to the metrics: the
  // observer is only called once the scheduler dispatches, long after both exist.
  const domain = createDomain(
    config,
    { driver, redis, logger },
    { onDispatch: (outcome, seconds) => metrics.dispatchObserved(outcome, seconds) },
  );
  const { tasks, budget, queues, events } = domain;
  const metrics = new OrchestratorMetrics(
    (tenantId) => queues.jobCounts(tenantId, ...queueStates),
    (error) => logger.warn({ err: error }, 'could not read queue depths for /metrics'),
  );
  const router = new RoleRouter({ llm });
  const scheduler = new Scheduler({
    tasks,
    runs: domain.repositories.runs,
    budget,
    queues,
    dispatch: domain.dispatch,
    events,
    goalPlanner: new GoalPlanner({
      goals: domain.repositories.goals,
      tasks,
      budget,
      planner: new Planner({
        llm,
        maxTokensPerCall: config.orchestrator.plannerMaxTokensPerCall,
        // Agent calls' attempts and backoff; within the goal's tokens, and well before its claim goes stale.
        retry: {
          attempts: config.jobs.attempts,
          backoffMs: config.jobs.backoffMs,
          tokenBudget: config.orchestrator.planningTokens,
          maxWaitMs: config.orchestrator.goalStaleClaimMs / 2,
        },
      }),
      router,
      planningTokens: config.orchestrator.planningTokens,
      staleClaimMs: config.orchestrator.goalStaleClaimMs,
      events,
      approvals: domain.planApprovals,
    }),
    routing: new TaskRouting({
      repository: domain.repositories.routing,
      router,
      budget,
      announcer: domain.announcer,
      defaultTaskKiloTokens: config.orchestrator.defaultTaskKiloTokens,
    }),
    alerts: new AlertTracker(redis),
    notifications: domain.notificationPublisher,
    metrics,
    releases: new ReleaseShipper({
      store: domain.workspaceStore,
      records: domain.repositories.workspaces,
      events,
      logger,
    }),
    recoverQueuedAfterMs: config.orchestrator.recoverQueuedAfterMs,
    reconciler: new ReservationReconciler({
      budget,
      runs: domain.repositories.runs,
      steps: domain.repositories.workspaces,
      queues,
      announcer: domain.announcer,
      olderThanMs: config.orchestrator.recoverQueuedAfterMs,
    }),
    onTick: overrides.onTick ?? logChangedLines(logger),
    onAlert: (tenant, kind) => {
      metrics.alerts.inc({ tenant, kind });
      logger.warn({ tenant, kind }, 'alert');
    },
    onStepError: (tenant, step, error) =>
      logger.warn({ err: error, tenant, step }, 'a step of the tick failed; the tick goes on without it'),
  });
  const tenants = servedTenants(config.workers.tenants, domain.repositories.tenants, {
    refreshMs: config.workers.tenantRefreshMs,
  });

  const autoReload = new AutoReloadWatch({ billing: domain.billing, accounts: domain.repositories.billing, logger });

  /** A scheduler tick, its duration observed in the tick-duration histogram whatever its outcome. */
  const timedTick = async (tenantId: string): Promise<TickReport> => {
    const startedAt = performance.now();
    let outcome: TickOutcome = 'failed';
    try {
      const report = await scheduler.tick(tenantId);
      outcome = 'ok';
      return report;
    } finally {
      metrics.tickObserved(tenantId, outcome, (performance.now() - startedAt) / 1000);
    }
  };

  // One tick at a time per tenant; a wake-up during a tick runs one more tick right after it.
  const running = new Map<string, Promise<TickReport>>();
  const again = new Set<string>();
  const tick = (tenantId: string): Promise<TickReport> => {
    const current = running.get(tenantId);
    if (current) {
      again.add(tenantId);
      return current;
    }
    const next = timedTick(tenantId).finally(() => {
      running.delete(tenantId);
      if (again.delete(tenantId)) void tick(tenantId).catch(onTickError(tenantId));
    });
    running.set(tenantId, next);
    return next;
  };
  const onTickError = (tenantId: string) => (error: unknown) =>
    logger.warn({ err: error, tenant: tenantId }, 'tick failed');
  const sweep = async () => {
    try {
      for (const tenantId of await tenants.list()) await tick(tenantId).catch(onTickError(tenantId));
    } catch (error) {
      logger.warn({ err: error }, 'sweep failed; trying again next interval');
    }
  };

  let wakeUps = Promise.resolve(); // `serves` never throws
  let timer: NodeJS.Timeout | undefined;
  let metricsServer: MetricsServer | undefined;
  return {
    metrics,
    tick,
    async start() {
      await Promise.all([redis.connect(), subscriber.connect()]);
      await checkRedisPolicy(config.redis, { production: config.env === 'production', logger });
      // A task that finished may have unblocked others, and money added may pay for tasks waiting
      // for budget: wake that tenant's scheduler at once rather than at the next sweep.
      await subscriber.psubscribe(allTenantEventsPattern);
      // Only tenants it serves: any process may publish on this Redis. Handled in arrival order.
      subscriber.on('pmessage', (_pattern, _channel, message) => {
        const event = parseTenantEvent(message);
        if (event?.kind === 'budget') {
          const left = Math.round(event.budget.leftUsd * microUsdPerUsd);
          wakeUps = wakeUps.then(async () => {
            if (!(await tenants.serves(event.tenantId))) return;
            void autoReload
              .onBudget(event.tenantId, left)
              .catch((error: unknown) =>
                logger.warn({ err: error, tenant: event.tenantId }, 'automatic reload check failed'),
              );
          });
        }
        if (!event || !wakesTheScheduler(event)) return;
        wakeUps = wakeUps.then(async () => {
          if (await tenants.serves(event.tenantId)) void tick(event.tenantId).catch(onTickError(event.tenantId));
        });
      });
      if (config.orchestrator.metricsPort > 0) {
        metricsServer = await serveMetrics(metrics.registry, config.http.host, config.orchestrator.metricsPort);
      }
      const label =
        llm.name === 'offline'
          ? 'OFFLINE provider (plans and routing without a language model)'
          : `${llm.name} ${llm.model}`;
      logger.info({ llm: label, intervalMs: config.orchestrator.intervalMs }, 'orchestrator started');
      await sweep();
      timer = setInterval(() => void sweep(), config.orchestrator.intervalMs);
    },
    async stop() {
      clearInterval(timer);
      await Promise.allSettled(running.values());
      await metricsServer?.close();
      subscriber.disconnect();
      await domain.close();
      redis.disconnect();
      await driver.close();
    },
  };
};
