import { type RedisClient, readAlertCounts } from '@ai-org/core';
import type { BudgetService } from '../budget/budget.service';
import type { TaskService } from '../tasks/task.service';
import { forecast } from './forecast';
import { inspect } from './inspect';
import type { Forecast, Inspection } from './inspection.types';

export interface InspectionReport extends Inspection {
  readonly alerts: Readonly<Record<string, number>>;
}

export interface ForecastReport extends Forecast {
  readonly leftMicroUsd: number;
}

/** The inspector's figures and the budget forecast for one tenant, each from one read of its graph. */
export class InspectionService {
  constructor(
    private readonly tasks: TaskService,
    private readonly budget: BudgetService,
    private readonly redis: RedisClient,
  ) {}

  async inspection(tenantId: string): Promise<InspectionReport> {
    const [graph, alerts] = await Promise.all([this.tasks.graph(tenantId), readAlertCounts(this.redis, tenantId)]);
    return { ...inspect(graph.nodes), alerts };
  }

  async forecast(tenantId: string): Promise<ForecastReport> {
    const [graph, balance] = await Promise.all([this.tasks.graph(tenantId), this.budget.read(tenantId)]);
    return {
      ...forecast({
        tasks: graph.nodes,
        leftMicroUsd: balance.left,
        minimumLeftMicroUsd: balance.minimumLeftMicroUsd,
        microUsdPer1kTokens: balance.microUsdPer1kTokens,
      }),
      leftMicroUsd: balance.left,
    };
  }
}
