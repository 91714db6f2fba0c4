import {
  AppError,
  badInput,
  type GrantableRole,
  grantableRoles,
  notFound,
  parseInput,
  platformAdminRole,
} from '@ai-org/core';
import { type ApiKeyRecord, type ApiKeyRepository, apiKeyIdPattern, newApiKeyId } from '@ai-org/schema';
import { expiryProblem, newApiKeySchema } from './access.input';
import { apiKeyDisplayPrefix, hashApiKeySecret, looksLikeApiKey, newApiKeySecret } from './api-key-secret';

/** An API key as the API shows it: never the secret, never its hash. Times are ISO-8601, UTC. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly role: GrantableRole;
  /** The first 12 characters of the secret (`aiorg_Vq0b3x`), to recognise it. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Who a valid secret speaks for. `tenantId` is null exactly when `role` is `platform_admin`. */
export interface VerifiedApiKey {
  readonly keyId: string;
  readonly tenantId: string | null;
  readonly role: GrantableRole;
  readonly expiresAt: Date | null;
}

export interface CreateApiKeyInput {
  readonly name: string;
  readonly role: GrantableRole;
  readonly expiresAt?: Date | null;
}

export interface CreatedApiKey {
  readonly key: ApiKeyView;
  /** Shown to the caller once; stored nowhere (only its hash is), and never logged. */
  readonly secret: string;
}

export interface ApiKeyServiceOptions {
  /** The clock (tests move it). */
  readonly now?: () => Date;
  /** Told when recording a key's last use failed; verification succeeds regardless. */
  readonly onTouchError?: (error: unknown) => void;
}

/** Active keys a tenant may hold at once; revoked and expired ones do not count. */
export const maxApiKeysPerTenant = 50;

export const toApiKeyView = (key: ApiKeyRecord): ApiKeyView => ({
  id: key.id,
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  createdAt: key.createdAt,
  expiresAt: key.expiresAt,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
});

/** The same answer for a key that does not exist and one of another tenant; it never repeats the id. */
const unknownApiKey = (): AppError => notFound('No such API key for this tenant');

/** API keys for scripts and third parties: created with a secret shown once, verified by its hash, revoked. */
export class ApiKeyService {
  private readonly now: () => Date;
  private readonly onTouchError: (error: unknown) => void;

  constructor(
    private readonly keys: ApiKeyRepository,
    options: ApiKeyServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.onTouchError = options.onTouchError ?? (() => {});
  }

  /**
   * Creates a key: a tenant role for an existing tenant, or `platform_admin` for no tenant (null).
   * BAD_USER_INPUT for a bad name, role or expiry; NOT_FOUND when the tenant does not exist; CONFLICT
   * when it already has `maxApiKeysPerTenant` active keys.
   */
  async create(tenantId: string | null, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const { name, role, expiresAt } = parseInput(newApiKeySchema, input, 'API key');
    if ((role === platformAdminRole) !== (tenantId === null)) {
      throw badInput(
        tenantId === null
          ? 'Invalid API key: role must be platform_admin for a key that belongs to no tenant'
          : 'Invalid API key: role platform_admin is not a tenant role; use viewer, member or owner',
        { problems: [{ path: 'role', message: 'does not fit the key’s tenant' }] },
      );
    }
    const createdAt = this.now();
    const problem = expiryProblem(expiresAt, createdAt);
    if (problem)
      throw badInput(`Invalid API key: expiresAt ${problem}`, { problems: [{ path: 'expiresAt', message: problem }] });

    const secret = newApiKeySecret();
    const outcome = await this.keys.create(
      {
        id: newApiKeyId(),
        tenantId,
        name,
        role,
        prefix: apiKeyDisplayPrefix(secret),
        hash: hashApiKeySecret(secret),
        createdAt,
        expiresAt,
      },
      { maxActive: tenantId === null ? undefined : maxApiKeysPerTenant },
    );
    switch (outcome.status) {
      case 'created':
        return { key: toApiKeyView(outcome.key), secret };
      case 'no-tenant':
        throw notFound('No such tenant');
      case 'limit':
        throw new AppError(
          'CONFLICT',
          `A tenant may have at most ${maxApiKeysPerTenant} active API keys; revoke one first`,
          { details: { max: maxApiKeysPerTenant } },
        );
    }
  }

  /**
   * Who `secret` speaks for, or null when it is not a key, unknown, revoked or expired (or its tenant
   * is gone). Beyond the shape check it does the same work for every input: one hash, one indexed
   * lookup. Records the key's last use (at most once a minute); a failure there is reported, not thrown.
   */
  async verify(secret: string): Promise<VerifiedApiKey | null> {
    if (!looksLikeApiKey(secret)) return null;
    const key = await this.keys.findByHash(hashApiKeySecret(secret));
    if (key === null) return null;
    const now = this.now();
    const expiresAt = key.expiresAt === null ? null : new Date(key.expiresAt);
    if (key.revokedAt !== null || (expiresAt !== null && expiresAt.getTime() <= now.getTime())) return null;
    // Stored data that breaks the rules create enforces is refused, never trusted.
    if (!(grantableRoles as readonly string[]).includes(key.role)) return null;
    if ((key.role === platformAdminRole) !== (key.tenantId === null)) return null;
    try {
      await this.keys.touch(key.id, now);
    } catch (error) {
      this.onTouchError(error);
    }
    return { keyId: key.id, tenantId: key.tenantId, role: key.role, expiresAt };
  }

  /** The tenant's keys (for null: the platform-admin keys), revoked ones included, oldest first. */
  async list(tenantId: string | null): Promise<ApiKeyView[]> {
    return (await this.keys.list(tenantId)).map(toApiKeyView);
  }

  /**
   * Revokes one of the tenant's keys; the next verification refuses it. Revoking it again changes
   * nothing. NOT_FOUND, with the same message, for a missing key and for another tenant's.
   */
  async revoke(tenantId: string | null, id: string): Promise<ApiKeyView> {
    const revoked = apiKeyIdPattern.test(id) ? await this.keys.revoke(tenantId, id, this.now()) : null;
    if (revoked === null) throw unknownApiKey();
    return toApiKeyView(revoked);
  }
}
