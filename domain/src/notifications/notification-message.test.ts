import type { NotificationEvent } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { notificationEventKey, testEvent } from './notification-event';
import { type DiscordPayload, describeEvent, notificationPayload, type SlackPayload } from './notification-message';

const budget80: NotificationEvent = {
  kind: 'budget_threshold',
  thresholdPercent: 80,
  spentMicroUsd: 8_000_000,
  leftMicroUsd: 2_000_000,
  fundedMicroUsd: 10_000_000,
};
const failed: NotificationEvent = {
  kind: 'task_failed',
  taskId: 'k3v9x0aq',
  description: 'Ship <!channel> @everyone *now*',
  reason: 'LLM refused: 400',
};

describe('notification messages', () => {
  it('formats a Slack message as text with blocks', () => {
    const payload = notificationPayload('slack', 'demo', budget80) as SlackPayload;
    expect(payload.text).toBe(
      'Budget 80% spent: Tenant demo has spent 8 USD of 10 USD (80% threshold crossed); 2 USD left.',
    );
    expect(payload.blocks?.[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(JSON.stringify(payload.blocks)).toContain('*Budget 80% spent*');
    expect(payload).not.toHaveProperty('content');
  });

  it('formats a Discord message as content with an embed, a sender name and no mentions', () => {
    const payload = notificationPayload('discord', 'demo', budget80) as DiscordPayload;
    expect(payload.content).toMatch(/^\*\*Budget 80% spent\*\*: Tenant demo has spent 8 USD/);
    expect(payload.username).toBe('AI-Org');
    expect(payload.embeds?.[0]).toMatchObject({ title: 'Budget 80% spent', color: expect.any(Number) });
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload).not.toHaveProperty('text');
  });

  it('keeps task text from pinging anyone or breaking the markup', () => {
    const slack = JSON.stringify(notificationPayload('slack', 'demo', failed));
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('&lt;!channel&gt;');
    const discord = notificationPayload('discord', 'demo', failed) as DiscordPayload;
    expect(discord.content).toContain('\\*now\\*');
    expect(discord.allowed_mentions.parse).toEqual([]);
  });

  it('says what happened for every kind of event', () => {
    expect(describeEvent('demo', failed)).toMatchObject({ title: 'Task failed', severity: 'danger' });
    expect(describeEvent('demo', { ...failed, kind: 'expensive_failure' }).summary).toMatch(/far more tokens/);
    expect(describeEvent('demo', { kind: 'plan_finished', taskCount: 5, done: 4, failed: 1, blocked: 0 }).summary).toBe(
      'All 5 tasks of tenant demo are settled: 4 done, 1 failed, 0 blocked.',
    );
    expect(describeEvent('demo', testEvent()).title).toBe('Test notification');
  });

  it('bounds what it sends (Slack 3,000 characters per text, Discord 2,000 per content)', () => {
    const long = { ...failed, description: 'x'.repeat(1_000), reason: 'y'.repeat(1_000) };
    const slack = notificationPayload('slack', 'demo', long) as SlackPayload;
    const discord = notificationPayload('discord', 'demo', long) as DiscordPayload;
    expect(slack.text.length).toBeLessThanOrEqual(3_000);
    expect(discord.content.length).toBeLessThanOrEqual(2_000);
  });
});

describe('notification event keys', () => {
  it('name one occurrence: a threshold per budget period, a failed task, a plan per task count, each test', () => {
    expect(notificationEventKey(budget80)).toBe('budget-80-10000000');
    expect(notificationEventKey(failed)).toBe('failed-k3v9x0aq');
    expect(notificationEventKey({ kind: 'plan_finished', taskCount: 7, done: 7, failed: 0, blocked: 0 })).toBe(
      'plan-7',
    );
    expect(notificationEventKey(testEvent())).not.toBe(notificationEventKey(testEvent()));
    expect(notificationEventKey(testEvent())).toMatch(/^test-[0-9a-z]{12}$/);
  });

  it('name each failed run of a task and each kind apart: a re-run that fails again is sent again', () => {
    const keys = [
      notificationEventKey({ ...failed, dispatchCount: 1 }),
      notificationEventKey({ ...failed, dispatchCount: 2 }),
      notificationEventKey({ ...failed, kind: 'expensive_failure', dispatchCount: 2 }),
    ];
    expect(keys).toEqual(['failed-k3v9x0aq-1', 'failed-k3v9x0aq-2', 'expensive-k3v9x0aq-2']);
  });
});
