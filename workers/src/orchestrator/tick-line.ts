import { toUsd } from '@ai-org/core';

export interface TickFigures {
  readonly tenantId: string;
  readonly budgetLeftMicroUsd: number | null;
  readonly ready: number;
  readonly running: number;
  readonly done: number;
  readonly total: number;
  readonly blockedByFailure: number;
  readonly waitingForBudget: number;
  readonly criticalPathTasks: number;
  readonly criticalPathKiloTokens: number;
  readonly progress: number;
  readonly dispatched: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** One line per tenant and tick, like the seed's scheduler: budget, work, blocked, critical path. */
export const formatTickLine = (f: TickFigures): string =>
  [
    `[tick] ${f.tenantId}`,
    `budget left ${f.budgetLeftMicroUsd === null ? 'unknown' : `${round(toUsd(f.budgetLeftMicroUsd), 6)} USD`}`,
    `done ${f.done}/${f.total}`,
    `ready ${f.ready}`,
    `running ${f.running}`,
    `dispatched ${f.dispatched}`,
    `blocked ${f.blockedByFailure} (+${f.waitingForBudget} waiting for budget)`,
    `critical path ${f.criticalPathTasks} tasks / ${round(f.criticalPathKiloTokens, 1)}k tokens`,
    `progress ${Math.round(f.progress * 100)}%`,
  ].join(' | ');
