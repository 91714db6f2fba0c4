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
}
