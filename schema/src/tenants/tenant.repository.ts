import neo4j, { type Driver } from 'neo4j-driver';

/** Tenants as a whole (not scoped to one): for processes that serve every tenant, like the workers. */
export class TenantRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  async listIds(): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      'MATCH (t:Tenant) RETURN t.id AS id ORDER BY id',
      {},
      {
        database: this.database,
        routing: neo4j.routing.READ,
      },
    );
    return records.map((record) => record.get('id') as string);
  }

  /**
   * Creates the tenant unless one with this id exists (then nothing changes); whether it created it.
   * MERGE on the unique `tenant_id` constraint: two concurrent calls cannot both create it.
   */
  async create(id: string, name: string): Promise<boolean> {
    const { summary } = await this.driver.executeQuery(
      'MERGE (t:Tenant {id: $id}) ON CREATE SET t.name = $name, t.createdAt = datetime()',
      { id, name },
      { database: this.database },
    );
    return summary.counters.updates().nodesCreated > 0;
  }

  async exists(id: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      'RETURN EXISTS { (:Tenant {id: $id}) } AS found',
      { id },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records[0]?.get('found') === true;
  }
}
