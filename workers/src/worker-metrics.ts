import {
  type AgentRole,
  agentRoles,
  createCounter,
  createHistogram,
  createMetricsRegistry,
  metricSpecs,
  notificationChannels,
  notificationEventKinds,
  notificationOutcomes,
  taskOutcomes,
} from '@ai-org/core';
import type { Registry } from 'prom-client';

export type TaskOutcome = (typeof taskOutcomes)[number];

/** The role workers' Prometheus metrics: job attempts by role and outcome, and the tokens they used. */
export class WorkerMetrics {
  readonly registry: Registry = createMetricsRegistry();
  private readonly taskDuration = createHistogram(this.registry, metricSpecs.taskDuration);
  private readonly tokens = createCounter(this.registry, metricSpecs.llmTokens);
  readonly notifications = createCounter(this.registry, metricSpecs.notifications);
  private readonly limitRefusals = createCounter(this.registry, metricSpecs.tenantLimitRefusals);

  constructor() {
    // Every series exists from the start, so rate() sees the first observation.
    for (const role of agentRoles) for (const outcome of taskOutcomes) this.taskDuration.zero({ role, outcome });
    for (const channel of notificationChannels) {
      for (const event of notificationEventKinds) {
        for (const outcome of notificationOutcomes) this.notifications.inc({ channel, event, outcome }, 0);
      }
    }
  }

  /** One job attempt, timed from pickup to its result. */
  observeAttempt(role: AgentRole, outcome: TaskOutcome, seconds: number): void {
    this.taskDuration.observe({ role, outcome }, seconds);
  }

  /** A job a tenant limit put back on its queue (running_jobs, tokens_per_minute). */
  countLimitRefusal(tenant: string, kind: 'running_jobs' | 'tokens_per_minute'): void {
    this.limitRefusals.inc({ tenant, kind });
  }

  /** Tokens the provider reported for one completion. */
  countTokens(tenant: string, role: AgentRole, promptTokens: number, completionTokens: number): void {
    this.tokens.inc({ tenant, role, type: 'prompt' }, promptTokens);
    this.tokens.inc({ tenant, role, type: 'completion' }, completionTokens);
  }
}
