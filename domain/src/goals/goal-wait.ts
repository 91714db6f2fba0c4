import { agentRoles } from '@ai-org/core';

/** The tenant's open backlog, as a pending goal sees it. */
export interface OpenBacklog {
  /** Open tasks by status (todo, queued, doing, waiting_budget, blocked); absent statuses count 0. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Owners of the open tasks that are people, not agent roles, with how many each. */
  readonly people: Readonly<Record<string, number>>;
}

const statusOrder = ['todo', 'queued', 'doing', 'waiting_budget', 'blocked'] as const;
const statusWords: Record<(typeof statusOrder)[number], string> = {
  todo: 'to do',
  queued: 'queued',
  doing: 'running',
  waiting_budget: 'waiting for budget',
  blocked: 'blocked by a failed task',
};
const peopleShown = 3;

/** Whether an owner is a person (anything but an agent role). */
export const isPerson = (owner: string | null): owner is string =>
  owner !== null && !(agentRoles as readonly string[]).includes(owner);

/**
 * Why a pending goal is not planned yet, in a sentence for the Goal page: goals are planned once the
 * backlog is empty, so it names what is still open — and who, when people own some of it. Null when
 * nothing is open (the goal is about to be planned).
 */
export const describeBacklogWait = ({ byStatus, people }: OpenBacklog): string | null => {
  const parts = statusOrder.flatMap((status) => {
    const count = byStatus[status] ?? 0;
    return count > 0 ? [`${count} ${statusWords[status]}`] : [];
  });
  const total = statusOrder.reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);
  if (total === 0) return null;
  let reason = `Waits for the backlog to empty: ${total} open task${total === 1 ? '' : 's'} (${parts.join(', ')}).`;
  const owners = Object.entries(people).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  const byPeople = owners.reduce((sum, [, count]) => sum + count, 0);
  if (byPeople > 0) {
    const names = owners.slice(0, peopleShown).map(([name]) => name);
    const more = owners.length > peopleShown ? ` and ${owners.length - peopleShown} more` : '';
    reason += ` ${byPeople} of them ${byPeople === 1 ? 'is' : 'are'} owned by people (${names.join(', ')}${more}), not agents: they move when their owners set them done.`;
  }
  if ((byStatus.blocked ?? 0) > 0)
    reason += ' Blocked tasks run again once the task they wait for is dispatched again and done.';
  if ((byStatus.waiting_budget ?? 0) > 0) reason += ' Tasks waiting for budget start after a top-up.';
  return reason;
};
