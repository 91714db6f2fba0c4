import { randomBytes } from 'node:crypto';
import type { GraphQLResponse, TestApp } from '../test-app';

/**
 * The one seam for "how to act as tenant X" in the isolation suite. The suite runs the API in token mode:
 * each tenant is created by a platform admin (`createTenant`) and acts through its first owner key,
 * `Authorization: Bearer …` over HTTP and REST and in the socket's connectionParams.
 */
export interface Caller {
  readonly tenantId: string;
  /** HTTP headers for GraphQL and REST requests. */
  readonly headers: Readonly<Record<string, string>>;
  /** graphql-ws connectionParams carrying the same identity. */
  readonly connectionParams: Readonly<Record<string, string>>;
}

/** Settings for `startTestApp`: token mode, and rate and concurrency limits far above what the suite sends. */
export const isolationAppSettings: Readonly<Record<string, string>> = {
  AUTH_MODE: 'token',
  BUDGET_MIN_LEFT_USD: '0',
  WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com,discord.com',
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
  TENANT_MAX_CONCURRENT_OPERATIONS: '1000',
  // The first run of a large generated read is planned cold by Neo4j; on a busy shared machine that took over 10 s.
  NEO4J_TRANSACTION_TIMEOUT_MS: '60000',
};

export interface CallerOptions {
  /** A platform admin (budgets by hand) instead of the tenant's owner. */
  readonly admin?: boolean;
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** One platform-admin key per app, made through the API's services as `npm run admin:key:create` does. */
const adminKeys = new WeakMap<TestApp, Promise<string>>();
const adminKeyOf = (app: TestApp): Promise<string> => {
  let key = adminKeys.get(app);
  if (!key) {
    key = app.app.services.apiKeys
      .create(null, { name: `isolation suite ${randomBytes(3).toString('hex')}`, role: 'platform_admin' })
      .then((created) => created.secret);
    adminKeys.set(app, key);
  }
  return key;
};

/** Creates the tenant as a platform admin and answers its first owner key. */
const ownerKeyOf = async (app: TestApp, tenantId: string): Promise<string> => {
  const created = await app.gql<{ createTenant: { ownerKey: { secret: string } } }>(
    'mutation($id: ID!) { createTenant(id: $id) { ownerKey { secret } } }',
    { id: tenantId },
    null,
    bearer(await adminKeyOf(app)),
  );
  const secret = created.data?.createTenant.ownerKey.secret;
  if (!secret) throw new Error(`no owner key for ${tenantId}: ${JSON.stringify(created.errors)}`);
  return secret;
};

/** Acts as `tenantId`'s owner (creating the tenant on first use), or with `admin` as a platform admin. */
export const asTenant = async (app: TestApp, tenantId: string, options: CallerOptions = {}): Promise<Caller> => {
  const secret = options.admin ? await adminKeyOf(app) : await ownerKeyOf(app, tenantId);
  return { tenantId, headers: bearer(secret), connectionParams: bearer(secret) };
};

/** A GraphQL request over HTTP as `caller`. */
export const gqlAs = <T = Record<string, unknown>>(
  app: TestApp,
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> => app.gql<T>(query, variables, null, { ...caller.headers });

/** A REST request as `caller`: status and parsed JSON body. */
export const restAs = async (
  app: TestApp,
  caller: Caller,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...caller.headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: await response.json() };
};

/** Deletes the app's platform-admin key (it belongs to no tenant, so deleting the tenants leaves it). */
export const forgetAdminKey = async (app: TestApp): Promise<void> => {
  const key = adminKeys.get(app);
  if (!key) return;
  adminKeys.delete(app);
  const prefix = (await key).slice(0, 12);
  await app.bolt.executeQuery('MATCH (k:ApiKey {prefix: $prefix}) WHERE k.tenantId IS NULL DETACH DELETE k', {
    prefix,
  });
};
