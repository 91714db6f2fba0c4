import type { NotificationEvent } from '@ai-org/core';
import { customAlphabet } from 'nanoid';

export type { NotificationEvent, NotificationEventKind } from '@ai-org/core';

/** Keeps free text in a job (task descriptions, reasons) bounded. */
export const clip = (text: string, max = 500): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const newNonce = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/** A test message: its own occurrence every time it is asked for. */
export const testEvent = (): NotificationEvent => ({ kind: 'test', nonce: newNonce() });

/**
 * Identifies one occurrence of an event for a tenant: a budget threshold once per budget period (the
 * funded amount), a failed task once per run (dispatch count) and kind, a finished plan once per task
 * count, each test message once.
 * With the tenant and the webhook id it is the job id, so an occurrence reaches each webhook once.
 */
export const notificationEventKey = (event: NotificationEvent): string => {
  switch (event.kind) {
    case 'budget_threshold':
      return `budget-${event.thresholdPercent}-${event.fundedMicroUsd}`;
    case 'task_failed':
    case 'expensive_failure': {
      const key = `${event.kind === 'expensive_failure' ? 'expensive' : 'failed'}-${event.taskId}`;
      return event.dispatchCount === undefined ? key : `${key}-${event.dispatchCount}`;
    }
    case 'plan_finished':
      return `plan-${event.taskCount}`;
    case 'payment_failed':
      return `payment-failed-${event.attemptId}`;
    case 'test':
      return `test-${event.nonce}`;
  }
};
