/** Task statuses in workflow order, with the colour each one has everywhere in the app. */
export const statusStyles = {
  todo: { label: 'todo', color: '#8a94a6' },
  queued: { label: 'queued', color: '#2f6fde' },
  doing: { label: 'doing', color: '#e0a100' },
  done: { label: 'done', color: '#22a559' },
  failed: { label: 'failed', color: '#dc3545' },
  blocked: { label: 'blocked', color: '#8b5cf6' },
  waiting_budget: { label: 'waiting for budget', color: '#f2711c' },
} as const;

export type KnownStatus = keyof typeof statusStyles;

export const knownStatuses = Object.keys(statusStyles) as KnownStatus[];

const isKnown = (status: string): status is KnownStatus => Object.hasOwn(statusStyles, status);

export const statusColor = (status: string): string => (isKnown(status) ? statusStyles[status].color : '#5b6474');

export const statusLabel = (status: string): string => (isKnown(status) ? statusStyles[status].label : status);
