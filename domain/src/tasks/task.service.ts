import { parseInput } from '@ai-org/core';
import { z } from 'zod';
import { type Announcer, silentAnnouncer } from '../events/task-announcer';
import { newTaskSchema, planSchema, taskIdSchema, taskStatusSchema } from './task.input';
import type { CreatedPlan, TaskRepository } from './task.repository';
import type { TaskGraph, TaskRecord } from './task.types';

export const maxBacklogLimit = 500;
const limitSchema = z.number().int().min(1).max(maxBacklogLimit);
const edgeSchema = z.object({ taskId: taskIdSchema, dependsOnId: taskIdSchema });

/**
 * The task operations every entry point shares (GraphQL, REST aliases, seed, later the orchestrator):
 * validate the caller's input, then hand it to the repository. Nothing is written on invalid input.
 */
export class TaskService {
  constructor(
    private readonly repository: TaskRepository,
    /** Announces every change as a live event. */
    private readonly announcer: Announcer = silentAnnouncer,
  ) {}

  async create(tenantId: string, input: unknown): Promise<TaskRecord> {
    const task = await this.repository.create(tenantId, parseInput(newTaskSchema, input, 'task'));
    await this.announcer.announce(tenantId, [task.id]);
    return task;
  }

  async createPlan(
    tenantId: string,
    input: unknown,
    options: { onlyIfEmpty?: boolean } = {},
  ): Promise<CreatedPlan | null> {
    const created = await this.repository.createPlan(tenantId, parseInput(planSchema, input, 'plan'), options);
    if (created) await this.announcer.announce(tenantId, Object.values(created.ids));
    return created;
  }

  async addDependency(tenantId: string, input: { taskId: unknown; dependsOnId: unknown }): Promise<TaskRecord> {
    const { taskId, dependsOnId } = parseInput(edgeSchema, input, 'dependency');
    const task = await this.repository.addDependency(tenantId, taskId, dependsOnId);
    await this.announcer.announce(tenantId, [task.id]);
    return task;
  }

  async removeDependency(tenantId: string, input: { taskId: unknown; dependsOnId: unknown }) {
    const { taskId, dependsOnId } = parseInput(edgeSchema, input, 'dependency');
    const result = await this.repository.removeDependency(tenantId, taskId, dependsOnId);
    if (result.removed) await this.announcer.announce(tenantId, [taskId]);
    return result;
  }

  async setStatus(tenantId: string, taskId: unknown, status: unknown): Promise<TaskRecord> {
    const input = parseInput(
      z.object({ taskId: taskIdSchema, status: taskStatusSchema }),
      { taskId, status },
      'status change',
    );
    const task = await this.repository.setStatus(tenantId, input.taskId, input.status);
    await this.announcer.announce(tenantId, [task.id]);
    return task;
  }

  get(tenantId: string, taskId: unknown): Promise<TaskRecord> {
    return this.repository.get(tenantId, parseInput(taskIdSchema, taskId, 'task id'));
  }

  backlog(tenantId: string, limit: unknown = 100): Promise<TaskRecord[]> {
    return this.repository.backlog(tenantId, parseInput(limitSchema, limit, 'limit'));
  }

  graph(tenantId: string): Promise<TaskGraph> {
    return this.repository.graph(tenantId);
  }
}
