import type { AgentRole } from '@ai-org/core';

/** Who a charge paid for: an agent role's job or step, or the platform's own work for the tenant. */
export type ChargeRole = AgentRole | 'planning' | 'routing';

/**
 * What a settled job was for, recorded on its settle entry with the amount (usage statements group
 * by it). Every field is optional: older entries carry none, and a caller records what it knows.
 */
export interface ChargeDetails {
  /** Tokens (prompt + completion) the job actually used. */
  readonly tokens?: number;
  readonly taskId?: string;
  readonly goalId?: string;
  readonly role?: ChargeRole;
}
