import type { GrantableRole } from '@ai-org/core';
import { customAlphabet } from 'nanoid';
import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import { writeTransaction } from '../write-transaction';

/** A stored API key as the domain reads it; `hash` only from `findByHash`. Times are ISO-8601, UTC. */
export interface ApiKeyRecord {
  readonly id: string;
  /** null for a platform-admin key, which belongs to no tenant. */
  readonly tenantId: string | null;
  readonly name: string;
  readonly role: GrantableRole;
  /** The first characters of the secret, kept to recognise the key in a list. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A stored key with the hash of its secret: what verification compares. */
export interface ApiKeyWithHash extends ApiKeyRecord {
  readonly hash: string;
}

/** What `create` stores. The secret itself is never given to the repository, only its hash. */
export interface NewApiKeyRecord {
  readonly id: string;
  readonly tenantId: string | null;
  readonly name: string;
  readonly role: GrantableRole;
  readonly prefix: string;
  readonly hash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

export type CreateApiKeyOutcome =
  | { readonly status: 'created'; readonly key: ApiKeyRecord }
  /** The tenant already has `maxActive` active keys. */
  | { readonly status: 'limit' }
  /** There is no tenant with this id. */
  | { readonly status: 'no-tenant' };

/** API key ids: 16 characters of [0-9a-z] (see `apiKeyIdPattern`). Not secret: they name a key in lists. */
export const newApiKeyId: () => string = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);
export const apiKeyIdPattern = /^[0-9a-z]{16}$/;

/** The stored fields the domain reads, times as epoch milliseconds; `extra` adds more (the hash). */
const project = (extra = ''): string => `k { .id, .tenantId, .name, .role, .prefix,
  createdAt: k.createdAt.epochMillis, expiresAt: k.expiresAt.epochMillis,
  lastUsedAt: k.lastUsedAt.epochMillis, revokedAt: k.revokedAt.epochMillis${extra} }`;

type Stored<T> = Omit<T, 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'revokedAt'> & {
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
};

const isoOrNull = (millis: number | null): string | null => (millis === null ? null : new Date(millis).toISOString());

/** One shape for every time: `2026-01-02T03:04:05.000Z`, whatever Neo4j's own string form would be. */
const fromStored = <T extends ApiKeyRecord>(stored: Stored<T>): T =>
  ({
    ...stored,
    createdAt: new Date(stored.createdAt).toISOString(),
    expiresAt: isoOrNull(stored.expiresAt),
    lastUsedAt: isoOrNull(stored.lastUsedAt),
    revokedAt: isoOrNull(stored.revokedAt),
  }) as T;

const keyOf = <T extends ApiKeyRecord = ApiKeyRecord>(record: Neo4jRecord | undefined): T | null => {
  const stored = record?.get('key') as Stored<T> | undefined;
  return stored === undefined ? null : fromStored(stored);
};

/** Active at `$at`: not revoked and not expired. */
const active = 'k.revokedAt IS NULL AND (k.expiresAt IS NULL OR k.expiresAt > datetime($at))';

/**
 * Matches `k`, the tenant's keys (through its node) or, for null, the platform-admin keys, which
 * belong to no tenant; `conditions` narrow them further.
 */
const matchKeys = (tenantId: string | null, ...conditions: string[]): string => {
  const match = tenantId === null ? 'MATCH (k:ApiKey)' : 'MATCH (:Tenant {id: $tenantId})-[:HAS_API_KEY]->(k:ApiKey)';
  const where = [...(tenantId === null ? ['k.tenantId IS NULL'] : []), ...conditions];
  return where.length === 0 ? match : `${match} WHERE ${where.join(' AND ')}`;
};

/**
 * API keys, `(:Tenant)-[:HAS_API_KEY]->(:ApiKey)`; a platform-admin key has `tenantId: null` and no
 * tenant. Deliberately not in the type definitions, so the generated GraphQL API can never read them;
 * only `findByHash` ever returns a hash.
 */
export class ApiKeyRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /**
   * Stores a key. A tenant key needs its tenant, whose node is write-locked first so that concurrent
   * creations cannot pass `maxActive` (counted at `record.createdAt`).
   */
  create(record: NewApiKeyRecord, { maxActive }: { maxActive?: number } = {}): Promise<CreateApiKeyOutcome> {
    const params = {
      ...record,
      createdAt: record.createdAt.toISOString(),
      expiresAt: record.expiresAt?.toISOString() ?? null,
      at: record.createdAt.toISOString(),
    };
    return writeTransaction(this.driver, this.database, async (tx) => {
      if (record.tenantId !== null) {
        const locked = await tx.run(
          'MATCH (tn:Tenant {id: $tenantId}) SET tn.apiKeysChangedAt = datetime() RETURN count(tn) AS n',
          params,
        );
        if (Number(locked.records[0]?.get('n') ?? 0) === 0) return { status: 'no-tenant' };
        if (maxActive !== undefined) {
          const counted = await tx.run(`${matchKeys(record.tenantId, active)} RETURN count(k) AS n`, params);
          if (Number(counted.records[0]?.get('n') ?? 0) >= maxActive) return { status: 'limit' };
        }
      }
      const created = await tx.run(
        `${record.tenantId === null ? '' : 'MATCH (tn:Tenant {id: $tenantId})'}
         CREATE (k:ApiKey {id: $id, tenantId: $tenantId, name: $name, role: $role, prefix: $prefix, hash: $hash,
           createdAt: datetime($createdAt), expiresAt: datetime($expiresAt)})
         ${record.tenantId === null ? '' : 'CREATE (tn)-[:HAS_API_KEY]->(k)'}
         RETURN ${project()} AS key`,
        params,
      );
      const key = keyOf(created.records[0]);
      if (key === null) throw new Error('the new API key was not returned');
      return { status: 'created', key };
    });
  }

  /**
   * The key whose secret has this hash, revoked and expired ones included (the caller decides), or
   * null. A tenant key whose tenant no longer exists is not found.
   */
  async findByHash(hash: string): Promise<ApiKeyWithHash | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (k:ApiKey {hash: $hash})
       WHERE k.tenantId IS NULL OR EXISTS { (:Tenant {id: k.tenantId})-[:HAS_API_KEY]->(k) }
       RETURN ${project(', hash: k.hash')} AS key`,
      { hash },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return keyOf<ApiKeyWithHash>(records[0]);
  }

  /** The tenant's keys (the platform-admin keys for null), oldest first, revoked ones included; no hashes. */
  async list(tenantId: string | null): Promise<ApiKeyRecord[]> {
    const { records } = await this.driver.executeQuery(
      `${matchKeys(tenantId)} RETURN ${project()} AS key ORDER BY k.createdAt, k.id`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => keyOf(record) as ApiKeyRecord);
  }

  /**
   * Revokes the tenant's key with this id (a revoked key keeps its first revocation time) and returns
   * it; null when the tenant has no such key, whether it does not exist or is another tenant's.
   */
  async revoke(tenantId: string | null, id: string, at: Date = new Date()): Promise<ApiKeyRecord | null> {
    const { records } = await this.driver.executeQuery(
      `${matchKeys(tenantId, 'k.id = $id')}
       SET k.revokedAt = coalesce(k.revokedAt, datetime($at))
       RETURN ${project()} AS key`,
      { tenantId, id, at: at.toISOString() },
      { database: this.database },
    );
    return keyOf(records[0]);
  }

  /**
   * Records that the key was used at `at`, in one conditional write: only when its last use is unknown
   * or more than a minute older, so a busy key does not write on every request. Whether it wrote.
   */
  async touch(id: string, at: Date): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MATCH (k:ApiKey {id: $id})
       WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < datetime($at) - duration({minutes: 1})
       SET k.lastUsedAt = datetime($at)
       RETURN count(k) AS n`,
      { id, at: at.toISOString() },
      { database: this.database },
    );
    return Number(records[0]?.get('n') ?? 0) > 0;
  }

  /** Keys of the tenant (platform-admin keys for null) neither revoked nor expired at `at`. */
  async countActive(tenantId: string | null, at: Date = new Date()): Promise<number> {
    const { records } = await this.driver.executeQuery(
      `${matchKeys(tenantId, active)} RETURN count(k) AS n`,
      { tenantId, at: at.toISOString() },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return Number(records[0]?.get('n') ?? 0);
  }
}
