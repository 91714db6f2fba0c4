import { agentRoles } from '@ai-org/core';
import type { Driver } from 'neo4j-driver';

/** The dimensions a usage statement groups by. */
export const usageGroups = ['day', 'role', 'goal'] as const;
export type UsageGroup = (typeof usageGroups)[number];

export interface UsageRange {
  /** Inclusive, epoch milliseconds. */
  readonly fromMs: number;
  /** Exclusive, epoch milliseconds. */
  readonly toMs: number;
  readonly groupBy: readonly UsageGroup[];
  /** More groups than this are not returned (`groups` still counts them). */
  readonly maxRows: number;
}

/** One group of charges: its keys (null for a dimension not grouped by, or a charge of no goal). */
export interface UsageGroupRecord {
  readonly day: string | null;
  readonly role: string | null;
  readonly goalId: string | null;
  readonly goalText: string | null;
  readonly jobs: number;
  readonly tokens: bigint;
  readonly microUsd: bigint;
}

export interface UsageTotals {
  readonly jobs: number;
  readonly tokens: bigint;
  readonly microUsd: bigint;
}

export interface UsageAggregate {
  /** At most `maxRows` groups, unordered. */
  readonly rows: readonly UsageGroupRecord[];
  /** How many groups there are in all. */
  readonly groups: number;
  /** The same charges summed without grouping: what the rows must add up to. */
  readonly ledger: UsageTotals;
}

/**
 * Charges are settle entries that cost something or used tokens (a released reservation is a settle
 * of 0 and is no charge). Their task, goal and role are what the entry recorded, else what its job id
 * says: `goal.<goal>` plans a goal, `<task>.route` routes a task, `<task>.<n>` (a role job) and
 * `<task>.<n>.step<k>` (an agent step) work on a task, whose owner and goal are looked up once per task.
 */
const chargesInRange = `
  MATCH (e:LedgerEntry)
  WHERE e.tenantId = $tenantId AND e.kind = 'settle'
    AND e.createdAt >= datetime({epochMillis: toInteger($fromMs)})
    AND e.createdAt < datetime({epochMillis: toInteger($toMs)})
    AND (e.amountMicroUsd > 0 OR coalesce(e.tokens, 0) > 0)`;

const statementQuery = `
  CALL {
    ${chargesInRange}
    RETURN count(e) AS ledgerJobs, toString(sum(toInteger(e.amountMicroUsd))) AS ledgerMicroUsd,
           toString(sum(toInteger(coalesce(e.tokens, 0)))) AS ledgerTokens
  }
  CALL {
    ${chargesInRange}
    WITH e, CASE WHEN e.jobId STARTS WITH 'goal.' THEN substring(e.jobId, 5) END AS plannedGoal,
         coalesce(e.taskId, CASE WHEN e.jobId =~ '[0-9a-z]{8}[.].+' THEN split(e.jobId, '.')[0] END) AS taskId
    WITH e, taskId,
         coalesce(e.role, CASE WHEN plannedGoal IS NOT NULL THEN 'planning'
                               WHEN e.jobId ENDS WITH '.route' THEN 'routing' END) AS role,
         coalesce(e.goalId, plannedGoal) AS goalId
    WITH CASE WHEN $byDay THEN toString(date(datetime({epochMillis: e.createdAt.epochMillis}))) END AS day,
         CASE WHEN $byRole THEN role END AS role,
         CASE WHEN $byGoal THEN goalId END AS goalId,
         CASE WHEN ($byRole AND role IS NULL) OR ($byGoal AND goalId IS NULL) THEN taskId END AS taskId,
         count(e) AS jobs, sum(toInteger(e.amountMicroUsd)) AS microUsd, sum(toInteger(coalesce(e.tokens, 0))) AS tokens
    OPTIONAL MATCH (t:Task {tenantId: $tenantId, id: taskId})
    WITH day,
         CASE WHEN $byRole THEN coalesce(role, CASE WHEN t.owner IN $agentRoles THEN t.owner END, 'unattributed') END AS role,
         CASE WHEN $byGoal THEN coalesce(goalId, t.goalId) END AS goalId,
         sum(jobs) AS jobs, sum(microUsd) AS microUsd, sum(tokens) AS tokens
    OPTIONAL MATCH (g:Goal {tenantId: $tenantId, id: goalId})
    RETURN collect({day: day, role: role, goalId: goalId, goalText: g.text, jobs: jobs,
                    microUsd: toString(microUsd), tokens: toString(tokens)}) AS rows
  }
  RETURN ledgerJobs, ledgerMicroUsd, ledgerTokens, size(rows) AS groups, rows[0..$maxRows] AS rows`;

interface StoredRow {
  readonly day: string | null;
  readonly role: string | null;
  readonly goalId: string | null;
  readonly goalText: string | null;
  readonly jobs: number;
  readonly microUsd: string;
  readonly tokens: string;
}

/** A tenant's charges over a time range, grouped: the stored side of usage statements. */
export class UsageRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** One query: the groups (each with jobs, tokens and micro-USD) and the ungrouped sum to check them by. */
  async aggregate(tenantId: string, range: UsageRange): Promise<UsageAggregate> {
    const { records } = await this.driver.executeQuery(
      statementQuery,
      {
        tenantId,
        fromMs: range.fromMs,
        toMs: range.toMs,
        byDay: range.groupBy.includes('day'),
        byRole: range.groupBy.includes('role'),
        byGoal: range.groupBy.includes('goal'),
        agentRoles: [...agentRoles],
        maxRows: range.maxRows,
      },
      { database: this.database },
    );
    const record = records[0];
    if (!record) throw new Error('the usage query returned no row');
    // Sums arrive as strings (exact 64-bit integers), whatever the driver does with large numbers.
    const rows = (record.get('rows') as StoredRow[]).map(
      (row): UsageGroupRecord => ({
        day: row.day,
        role: row.role,
        goalId: row.goalId,
        goalText: row.goalText,
        jobs: Number(row.jobs),
        tokens: BigInt(row.tokens),
        microUsd: BigInt(row.microUsd),
      }),
    );
    return {
      rows,
      groups: Number(record.get('groups')),
      ledger: {
        jobs: Number(record.get('ledgerJobs')),
        tokens: BigInt(record.get('ledgerTokens') as string),
        microUsd: BigInt(record.get('ledgerMicroUsd') as string),
      },
    };
  }
}
