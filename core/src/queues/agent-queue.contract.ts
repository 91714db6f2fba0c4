import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/** The agent roles; each has its own queue per tenant. */
export const agentRoles = ['dev', 'ux_ui', 'qa', 'telemetry'] as const;
export type AgentRole = (typeof agentRoles)[number];

export const isAgentRole = (value: unknown): value is AgentRole => agentRoles.includes(value as AgentRole);

/**
 * The seed named queues `<tenant>:<role>`; BullMQ refuses `:` in queue names and job ids, so the
 * separator is `.`, which tenant ids (lowercase letters, digits, `-`, `_`) cannot contain.
 */
export const queueSeparator = '.';

export const agentQueueName = (tenantId: string, role: AgentRole): string => `${tenantId}${queueSeparator}${role}`;

/** Job id of a task's n-th dispatch: one job per dispatch, and a settled job is never charged again. */
export const dispatchIdOf = (taskId: string, dispatchCount: number): string =>
  `${taskId}${queueSeparator}${dispatchCount}`;

/** What a role worker receives. No prompts or secrets: the worker reads the task from Neo4j. */
export const agentJobSchema = z.object({
  tenantId: z.string().min(1),
  taskId: z.string().regex(/^[0-9a-z]{8}$/),
  role: z.enum(agentRoles),
  dispatchId: z.string().min(1),
  /** Micro-USD held for this job; the agent may not spend more. */
  reservedMicroUsd: z.number().int().nonnegative(),
  /** Tokens (prompt + completion) the reservation pays for. */
  reservedTokens: z.number().int().nonnegative(),
});
export type AgentJob = z.infer<typeof agentJobSchema>;

export interface AgentJobResult {
  readonly outcome: 'done' | 'already-done';
  readonly artifactId: string | null;
  readonly tokensUsed: number;
  readonly chargedMicroUsd: number;
  readonly provider: string;
}

/** Name of the backoff strategy role workers implement (Retry-After for 429, exponential otherwise). */
export const agentBackoffType = 'agent';

/** Job options in one place: bounded attempts, custom backoff, bounded retention. */
export const agentJobOptions = (dispatchId: string, attempts: number, backoffMs: number): JobsOptions => ({
  jobId: dispatchId,
  attempts,
  backoff: { type: agentBackoffType, delay: backoffMs },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
});
