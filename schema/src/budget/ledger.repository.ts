import { randomUUID } from 'node:crypto';
import type { BudgetSnapshot } from '@ai-org/core';
import neo4j, { type Driver } from 'neo4j-driver';
import type { ChargeDetails } from './charge-details';
import { GroupCommit } from './group-commit';

export type LedgerKind = 'fund' | 'reserve' | 'settle';

export interface LedgerWrite {
  readonly kind: LedgerKind;
  /**
   * The job of a reserve or settle. For a fund entry, a credit id (e.g. `stripe:<checkout session>`)
   * makes it a credit that is recorded, and applied to Redis, once; none for an operator's top-up.
   */
  readonly jobId?: string;
  readonly amountMicroUsd: number;
  /** Where a fund entry's money came from, e.g. the Stripe event that reported it. */
  readonly source?: string;
  /** What a settle entry's charge was for (tokens, task, goal, role), as far as its caller knows. */
  readonly details?: ChargeDetails;
}

interface JobEntryRow {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: 'reserve' | 'settle';
  readonly jobId: string;
  readonly amount: number;
  readonly tokens: number | null;
  readonly taskId: string | null;
  readonly goalId: string | null;
  readonly role: string | null;
}

/**
 * The durable side of the budget: every fund, reservation and settlement as a LedgerEntry node.
 * Reserve and settle entries are keyed by tenant, kind and job, so writing one twice stores it once.
 */
export class LedgerRepository {
  /** Reserve and settle entries recorded at the same time share a transaction (group commit). */
  private readonly jobEntries = new GroupCommit<JobEntryRow, boolean>((rows) => this.writeJobEntries(rows));

  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /** Stores the entry; false when an entry of this kind and job (or credit id) was stored before. */
  async record(tenantId: string, entry: LedgerWrite): Promise<boolean> {
    const id = entry.jobId ? `${tenantId}/${entry.kind}/${entry.jobId}` : `${tenantId}/${entry.kind}/${randomUUID()}`;
    // A job's reserve or settle entry, the budget gate's hot path: concurrent ones, of any tenant,
    // are written together in one transaction; each call still returns only once its entry is stored.
    if (entry.kind !== 'fund' && entry.jobId) {
      return this.jobEntries.submit({
        id,
        tenantId,
        kind: entry.kind,
        jobId: entry.jobId,
        amount: entry.amountMicroUsd,
        tokens: entry.details?.tokens ?? null,
        taskId: entry.details?.taskId ?? null,
        goalId: entry.details?.goalId ?? null,
        role: entry.details?.role ?? null,
      });
    }
    const { summary } = await this.driver.executeQuery(
      // Entries carry their tenant as a property (indexed); no edge to the tenant node, whose lock
      // every concurrent settlement would otherwise contend for.
      `MERGE (e:LedgerEntry {id: $id})
         ON CREATE SET e.tenantId = $tenantId, e.kind = $kind, e.jobId = $jobId,
                       e.amountMicroUsd = $amount, e.source = $source, e.createdAt = datetime(),
                       e.tokens = $tokens, e.taskId = $taskId, e.goalId = $goalId, e.role = $role`,
      {
        tenantId,
        id,
        kind: entry.kind,
        jobId: entry.jobId ?? null,
        amount: entry.amountMicroUsd,
        source: entry.source ?? null,
        tokens: entry.details?.tokens ?? null,
        taskId: entry.details?.taskId ?? null,
        goalId: entry.details?.goalId ?? null,
        role: entry.details?.role ?? null,
      },
      { database: this.database },
    );
    return summary.counters.updates().nodesCreated > 0;
  }

  /** One transaction for all `rows`; whether each was created by it (a repeated id: only its first). */
  private async writeJobEntries(rows: readonly JobEntryRow[]): Promise<boolean[]> {
    const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
    // datetime() is the statement's clock: an entry whose createdAt equals it was created by this write.
    const { records } = await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (e:LedgerEntry {id: row.id})
         ON CREATE SET e.tenantId = row.tenantId, e.kind = row.kind, e.jobId = row.jobId,
                       e.amountMicroUsd = row.amount, e.source = null, e.createdAt = datetime(),
                       e.tokens = row.tokens, e.taskId = row.taskId, e.goalId = row.goalId, e.role = row.role
       RETURN row.id AS id, e.createdAt = datetime() AS created`,
      { rows: unique },
      { database: this.database },
    );
    const created = new Set(records.filter((r) => r.get('created') === true).map((r) => r.get('id') as string));
    return rows.map((row) => created.delete(row.id));
  }

  /**
   * The budget as the ledger tells it: funded = Σ fund, spent = Σ settle, reserved = reserves not
   * yet settled, left = the rest. One query.
   */
  async snapshot(tenantId: string): Promise<BudgetSnapshot> {
    const { records } = await this.driver.executeQuery(
      `MATCH (e:LedgerEntry {tenantId: $tenantId})
       WITH collect(e) AS entries
       WITH [e IN entries WHERE e.kind = 'settle' | [e.jobId, e.amountMicroUsd]] AS settled,
            [e IN entries WHERE e.kind = 'reserve' | [e.jobId, e.amountMicroUsd]] AS reserved,
            [e IN entries WHERE e.kind = 'fund' AND e.jobId IS NOT NULL | [e.jobId, e.amountMicroUsd]] AS credits,
            reduce(s = 0, e IN [x IN entries WHERE x.kind = 'fund'] | s + e.amountMicroUsd) AS funded
       RETURN funded, settled, credits, [r IN reserved WHERE NOT r[0] IN [s IN settled | s[0]]] AS open`,
      { tenantId },
      { database: this.database },
    );
    const record = records[0];
    const pairs = (key: string) => new Map((record?.get(key) as [string, number][] | undefined) ?? []);
    const settlements = pairs('settled');
    const reservations = pairs('open');
    const credits = pairs('credits');
    const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    const funded = Number(record?.get('funded') ?? 0);
    const spent = total(settlements);
    const reserved = total(reservations);
    return { left: funded - spent - reserved, reserved, spent, funded, reservations, settlements, credits };
  }

  /**
   * Reservations recorded between `withinMs` and `olderThanMs` ago that have no settle entry, oldest
   * first, at most `limit`: the jobs whose settlement the ledger has not heard of (still running, or
   * their owner died; see ReservationReconciler). Reads only that window of the tenant's entries (the
   * tenant + createdAt index), not its whole history.
   */
  async openReservations(
    tenantId: string,
    window: { readonly olderThanMs: number; readonly withinMs: number },
    limit: number,
  ): Promise<{ readonly jobId: string; readonly amountMicroUsd: number }[]> {
    const { records } = await this.driver.executeQuery(
      // (`now` bound first: with `datetime()` in the range itself, the planner scanned every tenant's entries.)
      `WITH datetime() AS now
       MATCH (r:LedgerEntry {tenantId: $tenantId})
       WHERE now - duration({milliseconds: $withinMs}) < r.createdAt < now - duration({milliseconds: $olderThanMs})
         AND r.kind = 'reserve'
         AND NOT EXISTS { MATCH (:LedgerEntry {id: $tenantId + '/settle/' + r.jobId}) }
       RETURN r.jobId AS jobId, r.amountMicroUsd AS amount
       ORDER BY r.createdAt LIMIT $limit`,
      {
        tenantId,
        olderThanMs: neo4j.int(window.olderThanMs),
        withinMs: neo4j.int(window.withinMs),
        limit: neo4j.int(limit),
      },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((r) => ({ jobId: r.get('jobId') as string, amountMicroUsd: Number(r.get('amount')) }));
  }

  /**
   * What the month starting at `monthStart` has used, as the monthly spend cap counts it: charges
   * recorded in it plus reservations made in it and not settled yet.
   */
  async monthToDate(tenantId: string, monthStart: Date): Promise<number> {
    const { records } = await this.driver.executeQuery(
      `MATCH (e:LedgerEntry {tenantId: $tenantId})
       WHERE e.kind IN ['settle', 'reserve']
       WITH collect(e) AS entries
       WITH [e IN entries WHERE e.kind = 'settle' | e.jobId] AS settledJobs, entries
       UNWIND entries AS e
       WITH e, settledJobs WHERE e.createdAt >= datetime($start)
         AND (e.kind = 'settle' OR NOT e.jobId IN settledJobs)
       RETURN coalesce(sum(e.amountMicroUsd), 0) AS used`,
      { tenantId, start: monthStart.toISOString() },
      { database: this.database },
    );
    return Number(records[0]?.get('used') ?? 0);
  }
}
