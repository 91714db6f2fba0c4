import { type NotificationChannel, type NotificationEvent, toUsd } from '@ai-org/core';

/** Channel-neutral content of one message. */
export interface NotificationMessage {
  readonly title: string;
  /** One line of plain text (the notification preview). */
  readonly summary: string;
  readonly fields: readonly { readonly name: string; readonly value: string }[];
  readonly severity: 'info' | 'warning' | 'danger';
}

/** Slack incoming webhook body. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[];
}

/** Discord webhook body. */
export interface DiscordPayload {
  readonly content: string;
  readonly username?: string;
  readonly embeds?: readonly Record<string, unknown>[];
  /** Nothing in a message may ping anyone (`@everyone` in a task description stays text). */
  readonly allowed_mentions: { readonly parse: readonly string[] };
}

export const senderName = 'AI-Org';

const usd = (microUsd: number): string => `${Number(toUsd(microUsd).toFixed(4))} USD`;

const quote = (text: string, max = 200): string => `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;

/** What to say about an event, whatever the channel. */
export const describeEvent = (tenantId: string, event: NotificationEvent): NotificationMessage => {
  const tenant = { name: 'Tenant', value: tenantId };
  switch (event.kind) {
    case 'budget_threshold':
      return {
        title: `Budget ${event.thresholdPercent}% spent`,
        summary: `Tenant ${tenantId} has spent ${usd(event.spentMicroUsd)} of ${usd(event.fundedMicroUsd)} (${event.thresholdPercent}% threshold crossed); ${usd(event.leftMicroUsd)} left.`,
        fields: [
          tenant,
          { name: 'Spent', value: usd(event.spentMicroUsd) },
          { name: 'Left', value: usd(event.leftMicroUsd) },
        ],
        severity: event.thresholdPercent >= 95 ? 'danger' : 'warning',
      };
    case 'task_failed':
    case 'expensive_failure': {
      const expensive = event.kind === 'expensive_failure';
      return {
        title: expensive ? 'Expensive failure' : 'Task failed',
        summary: `Task ${event.taskId} ${quote(event.description)} ${expensive ? 'used far more tokens than planned and was failed' : 'failed'}${event.reason ? `: ${event.reason}` : '.'}`,
        fields: [tenant, { name: 'Task', value: event.taskId }],
        severity: 'danger',
      };
    }
    case 'plan_finished':
      return {
        title: 'Plan finished',
        summary: `All ${event.taskCount} tasks of tenant ${tenantId} are settled: ${event.done} done, ${event.failed} failed, ${event.blocked} blocked.`,
        fields: [tenant, { name: 'Done', value: `${event.done}/${event.taskCount}` }],
        severity: event.failed + event.blocked > 0 ? 'warning' : 'info',
      };
    case 'payment_failed':
      return {
        title: 'Automatic reload failed',
        summary: `Adding ${usd(event.amountMicroUsd)} to tenant ${tenantId}'s budget failed: ${event.reason} Auto-reload is off until an owner sets it again; tasks wait for budget.`,
        fields: [tenant, { name: 'Amount', value: usd(event.amountMicroUsd) }],
        severity: 'danger',
      };
    case 'test':
      return {
        title: 'Test notification',
        summary: `This webhook receives AI-Org notifications for tenant ${tenantId}.`,
        fields: [tenant],
        severity: 'info',
      };
  }
};

/** Slack mrkdwn: `&`, `<` and `>` are control characters (`<!channel>` would ping everyone). */
const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Discord markdown: user text is shown as typed. */
const discordEscape = (text: string): string => text.replace(/([\\*_~`|>[\]])/g, '\\$1');

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const discordColours = { info: 0x2f81f7, warning: 0xd29922, danger: 0xda3633 } as const;
const slackEmoji = { info: ':information_source:', warning: ':warning:', danger: ':rotating_light:' } as const;

export const slackPayload = (message: NotificationMessage): SlackPayload => ({
  text: cut(slackEscape(`${message.title}: ${message.summary}`), 3_000),
  blocks: [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(
          `${slackEmoji[message.severity]} *${slackEscape(message.title)}*\n${slackEscape(message.summary)}`,
          3_000,
        ),
      },
    },
    {
      type: 'context',
      elements: message.fields.map((field) => ({
        type: 'mrkdwn',
        text: cut(`*${slackEscape(field.name)}:* ${slackEscape(field.value)}`, 300),
      })),
    },
  ],
});

export const discordPayload = (message: NotificationMessage): DiscordPayload => ({
  username: senderName,
  content: cut(`**${discordEscape(message.title)}**: ${discordEscape(message.summary)}`, 2_000),
  embeds: [
    {
      title: cut(message.title, 256),
      color: discordColours[message.severity],
      fields: message.fields.map((field) => ({
        name: cut(field.name, 256),
        value: cut(discordEscape(field.value), 1_024),
        inline: true,
      })),
    },
  ],
  allowed_mentions: { parse: [] },
});

/** The body to POST to a webhook of `channel` about `event`. */
export const notificationPayload = (
  channel: NotificationChannel,
  tenantId: string,
  event: NotificationEvent,
): SlackPayload | DiscordPayload => {
  const message = describeEvent(tenantId, event);
  return channel === 'slack' ? slackPayload(message) : discordPayload(message);
};
