import type { Redis } from 'ioredis';

/**
 * Redis pub/sub channel on which workers announce that a task finished (done or failed). The
 * orchestrator wakes up on it; live subscriptions build on it too.
 */
export const taskEventsChannel = 'ai-org.events.task';

export interface TaskEvent {
  readonly tenantId: string;
  readonly taskId: string;
  readonly status: string;
  /** ISO-8601 */
  readonly at: string;
}

export const publishTaskEvent = async (redis: Redis, event: Omit<TaskEvent, 'at'>): Promise<void> => {
  await redis.publish(taskEventsChannel, JSON.stringify({ ...event, at: new Date().toISOString() }));
};

/** Parses a message from the channel; anything malformed is dropped (returns null), never thrown. */
export const parseTaskEvent = (message: string): TaskEvent | null => {
  try {
    const event = JSON.parse(message) as Partial<TaskEvent>;
    return typeof event.tenantId === 'string' && typeof event.taskId === 'string' && typeof event.status === 'string'
      ? { tenantId: event.tenantId, taskId: event.taskId, status: event.status, at: String(event.at ?? '') }
      : null;
  } catch {
    return null;
  }
};
