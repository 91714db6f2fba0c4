import { AppError, badInput, parseInput, tenantIdPattern } from '@ai-org/core';
import type { TenantRepository } from '@ai-org/schema';
import { accessNameSchema } from './access.input';
import type { ApiKeyService, ApiKeyView } from './api-key.service';

export interface TenantView {
  readonly id: string;
  readonly name: string;
}

export interface TenantWithOwnerKey {
  readonly tenantId: string;
  readonly key: ApiKeyView;
  /** The owner key's secret, shown once. */
  readonly secret: string;
}

export const firstOwnerKeyName = 'first owner key';

/** Creating tenants explicitly (platform admins, `npm run tenant:create`), and asking whether one exists. */
export class TenantService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /**
   * Creates a tenant, named `name` or else after its id. BAD_USER_INPUT for an id that is not a tenant
   * id (lowercase letters, digits, "-", "_"; 63 at most) or a bad name; CONFLICT when it exists.
   */
  async create(id: string, name?: string): Promise<TenantView> {
    if (!tenantIdPattern.test(id)) {
      throw badInput('Invalid tenant: id must be a tenant id: lowercase letters, digits, "-" or "_", at most 63', {
        problems: [{ path: 'id', message: 'must be a tenant id' }],
      });
    }
    const tenant = { id, name: parseInput(accessNameSchema, name ?? id, 'tenant name') };
    if (!(await this.tenants.create(tenant.id, tenant.name))) {
      throw new AppError('CONFLICT', `Tenant ${id} exists already`, { details: { tenantId: id } });
    }
    return tenant;
  }

  /** Whether a tenant with this id exists; false, without a query, for anything that is not a tenant id. */
  async exists(id: string): Promise<boolean> {
    return tenantIdPattern.test(id) && (await this.tenants.exists(id));
  }

  /**
   * Creates the tenant and its first owner key, whose secret is returned once. If the key cannot be
   * stored (Neo4j went away in between) the tenant stays without keys; a platform admin can then
   * create one for it.
   */
  async createWithOwnerKey(id: string, name?: string): Promise<TenantWithOwnerKey> {
    const tenant = await this.create(id, name);
    const { key, secret } = await this.apiKeys.create(tenant.id, { name: firstOwnerKeyName, role: 'owner' });
    return { tenantId: tenant.id, key, secret };
  }
}
