import { badInput } from '@ai-org/core';
import { type UsageGroup, usageGroups } from '@ai-org/schema';

/** The longest range one statement covers: a year, leap day included. */
export const maxUsageRangeDays = 366;
/** The most rows one statement returns (a year by day and role fits many times over). */
export const maxUsageRows = 5_000;

const dayMs = 86_400_000;

export interface UsageRequest {
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly string[];
}

export interface UsagePeriod {
  readonly fromMs: number;
  readonly toMs: number;
  readonly groupBy: readonly UsageGroup[];
}

// A calendar date (midnight UTC), or a date and time with its UTC offset: never a local time.
const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** Epoch milliseconds of an ISO 8601 date or date-time with offset; null unless it is a real one. */
export const parseUsageTime = (text: string): number | null => {
  const match = timePattern.exec(text);
  if (!match) return null;
  const part = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const [offsetHours, offsetMinutes] = [part(9), part(10)];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 18 * 60)
    return null;
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = (match[8]?.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset;
};

const isUsageGroup = (value: string): value is UsageGroup => (usageGroups as readonly string[]).includes(value);

/**
 * The period and grouping a statement is asked for, checked: `from` before `to` (from inclusive, to
 * exclusive), at most a year apart, each group known and named once. BAD_USER_INPUT otherwise.
 */
export const usagePeriod = ({ from, to, groupBy }: UsageRequest): UsagePeriod => {
  const fromMs = parseUsageTime(from);
  const toMs = parseUsageTime(to);
  const format = 'a date (2025-01-31, midnight UTC) or a date and time with its offset (2025-01-31T12:00:00Z)';
  if (fromMs === null) throw badInput(`from must be ${format}`);
  if (toMs === null) throw badInput(`to must be ${format}`);
  if (fromMs >= toMs) throw badInput('from must be before to');
  if (toMs - fromMs > maxUsageRangeDays * dayMs) throw badInput(`A statement covers at most ${maxUsageRangeDays} days`);
  const groups: UsageGroup[] = [];
  for (const group of groupBy) {
    if (!isUsageGroup(group)) throw badInput(`groupBy takes ${usageGroups.join(', ')}; not ${group.slice(0, 20)}`);
    if (groups.includes(group)) throw badInput(`groupBy names ${group} twice`);
    groups.push(group);
  }
  return { fromMs, toMs, groupBy: groups };
};
