import type { BudgetService } from '@ai-org/domain';
import type { Announcer, TaskRoutingRepository } from '@ai-org/schema';
import type { RoleRouter } from './planning/role-router';

export interface TaskRoutingDeps {
  readonly repository: Pick<TaskRoutingRepository, 'unrouted' | 'assign'>;
  readonly router: Pick<RoleRouter, 'route' | 'usesModel'>;
  readonly budget: Pick<BudgetService, 'reserve' | 'settle' | 'costOfTokens'>;
  readonly announcer: Announcer;
  /** Planned tokens (in 1k) for a routed task that names none. */
  readonly defaultTaskKiloTokens: number;
}

/** At most this many hand-made tasks are routed per tick; the rest wait for the next one. */
export const maxRoutedPerTick = 50;
/** What one router call may cost: its short prompt and a one-word answer, held before the call. */
export const routingAllowanceTokens = 1_000;

/**
 * Gives a role to the tenant's hand-made tasks that have no owner (`createTask`, `POST /task`), as the
 * planner's tasks get one: the router's model when one is configured and the budget pays for the call
 * (charged once per task, like any job), else its keyword table. A task owned by a person is left alone.
 */
export class TaskRouting {
  constructor(private readonly deps: TaskRoutingDeps) {}

  /** Returns the ids of the tasks this call routed (they are announced). */
  async routeUnowned(tenantId: string): Promise<string[]> {
    const { repository, announcer, defaultTaskKiloTokens } = this.deps;
    const routed: string[] = [];
    for (const task of await repository.unrouted(tenantId, maxRoutedPerTick)) {
      const route = await this.route(tenantId, task);
      const assigned = await repository.assign(tenantId, task.id, {
        role: route.role,
        routedBy: route.routedBy,
        defaultTokensPlan: defaultTaskKiloTokens,
      });
      if (assigned) routed.push(task.id);
    }
    if (routed.length > 0) await announcer.announce(tenantId, routed);
    return routed;
  }

  /** A model's call is paid like a job (`<task>.route`, settled once); without budget, keywords decide. */
  private async route(tenantId: string, task: { id: string; description: string }) {
    const { router, budget } = this.deps;
    if (!router.usesModel) return router.route({ description: task.description });
    const jobId = `${task.id}.route`;
    const reservation = await budget.reserve(tenantId, jobId, budget.costOfTokens(routingAllowanceTokens));
    if (reservation.status !== 'ok' && reservation.status !== 'duplicate') {
      return router.route({ description: task.description }, undefined, { keywordsOnly: true });
    }
    let tokensUsed = 0;
    try {
      const route = await router.route({ description: task.description });
      tokensUsed = route.tokensUsed;
      return route;
    } finally {
      await budget.settle(tenantId, jobId, budget.costOfTokens(tokensUsed), {
        tokens: tokensUsed,
        taskId: task.id,
        role: 'routing',
      });
    }
  }
}
