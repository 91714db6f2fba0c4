import { AppError } from '@ai-org/core';
import type { Goal, GoalRepository } from '@ai-org/schema';
import { plainTextProblem } from '../text/plain-text';

export const maxGoalLength = 4_000;

/** A tenant's goals as callers set them; the orchestrator's goal planner claims and plans them. */
export class GoalService {
  constructor(private readonly repository: GoalRepository) {}

  /**
   * Stores a pending goal; its text is trimmed and must be 1 to `maxGoalLength` characters of plain
   * text (newlines and tabs, but no other control characters, and valid Unicode).
   */
  create(tenantId: string, text: string): Promise<Goal> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || trimmed.length > maxGoalLength) {
      throw new AppError('BAD_USER_INPUT', `A goal must be 1 to ${maxGoalLength} characters`);
    }
    const problem = plainTextProblem(trimmed, { multiline: true });
    if (problem) throw new AppError('BAD_USER_INPUT', `A goal ${problem}`);
    return this.repository.create(tenantId, trimmed);
  }
}
