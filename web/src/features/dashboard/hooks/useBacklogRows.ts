import { useMemo } from 'react';
import type { LiveTask } from '../../live/live-state';

export type SortKey = 'description' | 'status' | 'owner' | 'businessValue' | 'purposeRelevance' | 'score' | 'tokens';
export type SortDirection = 'asc' | 'desc';

export interface BacklogView {
  readonly status: string | 'all';
  readonly role: string | 'all';
  readonly sort: SortKey;
  readonly direction: SortDirection;
}

/** The backlog's order: business value × purpose relevance, highest first (README "The backlog"). */
export const defaultView: BacklogView = { status: 'all', role: 'all', sort: 'score', direction: 'desc' };

export const scoreOf = (task: LiveTask): number => task.businessValue * task.purposeRelevance;

const sortValue = (task: LiveTask, key: SortKey): string | number => {
  switch (key) {
    case 'description':
      return task.description.toLowerCase();
    case 'status':
      return task.status;
    case 'owner':
      return task.owner ?? '';
    case 'businessValue':
      return task.businessValue;
    case 'purposeRelevance':
      return task.purposeRelevance;
    case 'score':
      return scoreOf(task);
    case 'tokens':
      return task.tokensPlan;
    default: {
      const unknown: never = key;
      return unknown;
    }
  }
};

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Filtered and sorted rows (ties broken by id, so the order is stable), plus the filter choices. */
export const useBacklogRows = (tasks: ReadonlyMap<string, LiveTask>, view: BacklogView) =>
  useMemo(() => {
    const all = [...tasks.values()];
    const roles = [...new Set(all.map((task) => task.owner).filter((owner): owner is string => !!owner))].sort();
    const sign = view.direction === 'asc' ? 1 : -1;
    const rows = all
      .filter((task) => view.status === 'all' || task.status === view.status)
      .filter((task) => view.role === 'all' || task.owner === view.role)
      .sort((a, b) => sign * compare(sortValue(a, view.sort), sortValue(b, view.sort)) || compare(a.id, b.id));
    return { rows, roles, total: all.length };
  }, [tasks, view]);
