export {
  type AuthMode,
  authModes,
  type GrantableRole,
  grantableRoles,
  isTenantRole,
  platformAdminRole,
  roleAtLeast,
  strongestRole,
  type TenantRole,
  tenantRoles,
} from './auth/roles';
export {
  type Balance,
  type BudgetSnapshot,
  BudgetStore,
  type CreditOutcome,
  type FundOutcome,
  type ReserveOutcome,
  type SettleOutcome,
} from './budget/budget.store';
export { balanceFields, budgetKeys, microUsdPerUsd, monthOf, toUsd } from './budget/budget-keys';
export { costOfTokens, tokensFor } from './budget/cost';
export { type Config, ConfigError, loadConfig, redactConfig, tenantIdPattern } from './config/config';
export { parseRedisClusterNodes, type RedisClusterNodes } from './config/redis-cluster-nodes';
export { AppError, type AppErrorOptions, badInput, isAppError, notFound, serviceUnavailable } from './errors/app-error';
export { ErrorCode, httpStatusByCode } from './errors/error-codes';
export { parseInput } from './errors/parse-input';
export { toAppError } from './errors/to-app-error';
export { EventPublisher, noEvents, readSequence, type TenantEventSink } from './events/event-publisher';
export {
  allTenantEventsPattern,
  type BudgetChange,
  type EventKind,
  eventChannelPrefix,
  eventSequenceKey,
  type MetricsChange,
  type PlanChange,
  parseTenantEvent,
  type TaskChange,
  type TenantEvent,
  type TenantEventBody,
  tenantEventChannel,
  type WorkspaceChange,
} from './events/tenant-events';
export { limitKeys } from './limits/limit-keys';
export { RunningSlots, type SlotOutcome } from './limits/running-slots.store';
export { type TokenTake, TokenWindow } from './limits/token-window.store';
export {
  type CountableMessage,
  countMessageTokens,
  countTokens,
  type Truncated,
  truncateToTokens,
} from './llm/token-counter';
export { createLogger, type Logger } from './logging/logger';
export { alertKeys, failedRunMember, readAlertCounts } from './metrics/alert-keys';
export {
  budgetAlertThresholds,
  type DispatchOutcome,
  dispatchOutcomes,
  type MetricKey,
  type MetricSource,
  type MetricSpec,
  type MetricType,
  metricNames,
  metricSpecs,
  queueStates,
  type TickOutcome,
  taskOutcomes,
  tenantLimitKinds,
  tickOutcomes,
} from './metrics/metric-names';
export {
  createCounter,
  createGauge,
  createHistogram,
  createMetricsRegistry,
  type MetricsServer,
  metricsHandler,
  serveMetrics,
} from './metrics/metrics-registry';
export { type StopOnSignalsOptions, stopOnSignals } from './process/stop-on-signals';
export {
  type AgentJob,
  type AgentJobResult,
  type AgentRole,
  agentBackoffType,
  agentJobOptions,
  agentJobSchema,
  agentQueueName,
  agentRoles,
  dispatchIdOf,
  isAgentRole,
  queueSeparator,
} from './queues/agent-queue.contract';
export { AgentQueues } from './queues/agent-queues';
export {
  type NotificationChannel,
  type NotificationEvent,
  type NotificationEventKind,
  type NotificationJob,
  type NotificationJobResult,
  notificationBackoffType,
  notificationChannels,
  notificationConcurrency,
  notificationEventKinds,
  notificationEventSchema,
  notificationJobId,
  notificationJobOptions,
  notificationJobSchema,
  notificationOutcomes,
  notificationQueueName,
  webhookIdPattern,
} from './queues/notification-queue.contract';
export { NotificationQueues } from './queues/notification-queues';
export { queuePrefix } from './queues/queue-prefix';
export {
  createRedisClient,
  isCluster,
  parseNode,
  type RedisClient,
  type RedisConnection,
  type RedisRole,
} from './redis/redis-client';
export {
  checkRedisPolicy,
  type RedisPolicyCheck,
  RedisPolicyError,
  type RedisPolicyOptions,
  readRedisPolicy,
  requiredEvictionPolicy,
} from './redis/redis-policy';
export { scanKeys } from './redis/scan-keys';
