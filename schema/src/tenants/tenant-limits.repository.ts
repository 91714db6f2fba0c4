import neo4j, { type Driver, type Integer } from 'neo4j-driver';

/** What a tenant's owner set; null where they set nothing (the platform default applies). */
export interface StoredTenantLimits {
  readonly maxRunningJobs: number | null;
  readonly tokensPerMinute: number | null;
}

/** A tenant's own limits, stored on its Tenant node (`maxRunningJobs`, `tokensPerMinute`). */
export class TenantLimitsRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  async read(tenantId: string): Promise<StoredTenantLimits> {
    const { records } = await this.driver.executeQuery(
      `OPTIONAL MATCH (tn:Tenant {id: $tenantId})
       RETURN tn.maxRunningJobs AS maxRunningJobs, tn.tokensPerMinute AS tokensPerMinute`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    const record = records[0];
    return {
      maxRunningJobs: numberOrNull(record?.get('maxRunningJobs')),
      tokensPerMinute: numberOrNull(record?.get('tokensPerMinute')),
    };
  }

  /** Sets the values given (undefined: left as they are); creates the Tenant node like the tenant's other first writes. */
  async write(
    tenantId: string,
    limits: { readonly maxRunningJobs?: number; readonly tokensPerMinute?: number },
  ): Promise<StoredTenantLimits> {
    const { records } = await this.driver.executeQuery(
      `MERGE (tn:Tenant {id: $tenantId})
         ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime()
       SET tn.maxRunningJobs = coalesce($maxRunningJobs, tn.maxRunningJobs),
           tn.tokensPerMinute = coalesce($tokensPerMinute, tn.tokensPerMinute)
       RETURN tn.maxRunningJobs AS maxRunningJobs, tn.tokensPerMinute AS tokensPerMinute`,
      {
        tenantId,
        maxRunningJobs: limits.maxRunningJobs === undefined ? null : neo4j.int(limits.maxRunningJobs),
        tokensPerMinute: limits.tokensPerMinute === undefined ? null : neo4j.int(limits.tokensPerMinute),
      },
      { database: this.database },
    );
    const record = records[0];
    return {
      maxRunningJobs: numberOrNull(record?.get('maxRunningJobs')),
      tokensPerMinute: numberOrNull(record?.get('tokensPerMinute')),
    };
  }
}

const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : neo4j.isInt(value) ? (value as Integer).toNumber() : Number(value);
