import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import { deleteTenantData } from '@ai-org/testing';
import type { Driver } from 'neo4j-driver';
import { type App, buildApp } from '../src/app';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** A tenant id no other test uses, so tests can share one Neo4j and one Redis. */
export const uniqueTenant = (label = 't'): string => `test-${label}-${randomBytes(4).toString('hex')}`;

export interface TestApp {
  readonly app: App;
  readonly url: string;
  /** Bolt access to the same database, to check what is really stored. */
  readonly bolt: Driver;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    tenant?: string | null,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** Starts the real API on a free port against the real Neo4j and Redis of the test run. */
export const startTestApp = async (overrides: Record<string, string> = {}): Promise<TestApp> => {
  const config: Config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    DEFAULT_TENANT: '',
    // Every test app calls from 127.0.0.1 and shares one Redis, so the per-address and per-caller counts
    // would add up across parallel test files; the limits' own tests lower these on unique addresses.
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_MINUTE: '1000000',
    // Tests open hundreds of sockets and fire bursts of requests for one tenant; the caps' own tests lower these.
    MAX_SOCKETS_PER_TENANT: '100000',
    TENANT_MAX_CONCURRENT_OPERATIONS: '100000',
    ...overrides,
  });
  const app = await buildApp(config);
  const { url, graphqlUrl } = await app.start();
  const bolt = createNeo4jDriver(config.neo4j);
  return {
    app,
    url,
    bolt,
    async gql(query, variables, tenant, headers = {}) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(tenant ? { 'x-tenant-id': tenant } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async stop() {
      await bolt.close();
      await app.stop();
    },
  };
};

/** Deletes everything stored for the tenants a test created. */
export const deleteTenants = (bolt: Driver, ...tenantIds: string[]): Promise<void> =>
  deleteTenantData(tenantIds, { bolt, redisUrl: loadConfig(process.env).redis.url });

export const countTasks = async (bolt: Driver, tenantId: string): Promise<number> => {
  const { records } = await bolt.executeQuery('MATCH (t:Task {tenantId: $tenantId}) RETURN count(t) AS n', {
    tenantId,
  });
  return Number(records[0]?.get('n'));
};

export const codesOf = (response: GraphQLResponse<unknown>): (string | undefined)[] =>
  (response.errors ?? []).map((error) => error.extensions?.code);
