import { badInput } from '@ai-org/core';
import type { UsageRequest, UsageRow, UsageStatement } from '@ai-org/domain';
import type { UsageGroup } from '@ai-org/schema';

/**
 * A cell as a spreadsheet reads it safely: text that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) gets a leading apostrophe; a cell with a comma, a quote or
 * a line break is quoted, its quotes doubled (RFC 4180).
 */
export const csvCell = (value: string): string => {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
};

export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Exact USD from micro-USD: `1234567` → `1.234567`. */
export const usdText = (microUsd: bigint): string => {
  const sign = microUsd < 0n ? '-' : '';
  const digits = (microUsd < 0n ? -microUsd : microUsd).toString().padStart(7, '0');
  return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
};

const columnsOf: Record<UsageGroup, readonly string[]> = { day: ['day'], role: ['role'], goal: ['goal_id', 'goal'] };
const cellsOf: Record<UsageGroup, (row: UsageRow) => readonly string[]> = {
  day: (row) => [row.day ?? ''],
  role: (row) => [row.role ?? ''],
  goal: (row) => [row.goalId ?? '', row.goalText ?? ''],
};

/**
 * The statement as CSV: a header row, a row per group, and a total row whose first cell is `total`
 * (its other group cells empty). Money as exact USD with six decimals and as integer micro-USD.
 */
export const usageCsv = (statement: UsageStatement): string => {
  const groups = statement.groupBy;
  const figures = (jobs: number, tokens: bigint, microUsd: bigint) => [
    String(jobs),
    tokens.toString(),
    usdText(microUsd),
    microUsd.toString(),
  ];
  const header = [...groups.flatMap((group) => columnsOf[group]), 'jobs', 'tokens', 'usd', 'micro_usd'];
  const rows = statement.rows.map((row) => [
    ...groups.flatMap((group) => cellsOf[group](row)),
    ...figures(row.jobs, row.tokens, row.microUsd),
  ]);
  const keyCells = header.length - 4;
  const total = [
    ...Array.from({ length: keyCells }, (_, index) => (index === 0 ? 'total' : '')),
    ...figures(statement.total.jobs, statement.total.tokens, statement.total.microUsd),
  ];
  return [header, ...rows, total].map(csvLine).join('');
};

const first = (value: unknown): string | undefined => {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one : undefined;
};

/**
 * `?from=…&to=…&groupBy=day,role` (groups in any case; `day` when absent). A CSV needs a group to
 * label its total row with, so an empty groupBy is refused.
 */
export const usageRequestOf = (query: Record<string, unknown>): UsageRequest => {
  const from = first(query.from);
  const to = first(query.to);
  if (from === undefined || to === undefined) throw badInput('Name the period: ?from=2025-01-01&to=2025-02-01');
  const groupBy = (first(query.groupBy) ?? 'day').split(',').map((group) => group.trim().toLowerCase());
  if (groupBy.some((group) => group === '')) throw badInput('groupBy names one or more of day, role, goal');
  return { from, to, groupBy };
};

/** `usage-2025-01-01-2025-02-01.csv`: the period's UTC days ([from, to)). */
export const usageFileName = (statement: UsageStatement): string =>
  `usage-${statement.from.slice(0, 10)}-${statement.to.slice(0, 10)}.csv`;
