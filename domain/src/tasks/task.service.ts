import { badInput, parseInput } from '@ai-org/core';
import {
  type Announcer,
  type CreatedPlan,
  silentAnnouncer,
  type TaskField,
  type TaskGraph,
  type TaskRecord,
  type TaskRepository,
  type TaskState,
} from '@ai-org/schema';
import { z } from 'zod';
import { findCycle } from './dag';
import { newTaskSchema, type Plan, planSchema, taskIdSchema, taskStatusSchema } from './task.input';

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
    /** `goalId`: the goal planner's, so each task's agent is given its goal (never from a client). */
    options: { onlyIfEmpty?: boolean; goalId?: string } = {},
  ): Promise<CreatedPlan | null> {
    const plan = parseInput(planSchema, input, 'plan');
    refuseCycles(plan);
    const created = await this.repository.createPlan(tenantId, plan, options);
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

  /** `fields`: only these of each task (and its id), e.g. a GraphQL selection; every field by default. */
  graph(tenantId: string, fields?: Iterable<TaskField>): Promise<TaskGraph> {
    return this.repository.graph(tenantId, fields);
  }

  /** Every task as the orchestrator's tick needs it: a leaner read than `graph` (see `TaskState`). */
  states(tenantId: string): Promise<TaskState[]> {
    return this.repository.states(tenantId);
  }
}

/** A plan's edges go between its keys or to existing tasks (which cannot depend on new ones): a cycle is among keys. */
const refuseCycles = (plan: Plan): void => {
  const selfEdge = plan.dependencies.find(({ from, to }) => from === to);
  if (selfEdge) throw badInput(`Task "${selfEdge.from}" cannot depend on itself`);
  const cycle = findCycle(plan.dependencies);
  if (cycle) throw badInput(`The plan's dependencies form a cycle: ${cycle.join(' -> ')}`);
};
