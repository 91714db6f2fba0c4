import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import { type App, buildApp } from '@ai-org/server';
import { deleteTenantData, freePort } from '@ai-org/testing';
import { buildOrchestrator, buildWorkers, OfflineProvider } from '@ai-org/workers';
import { preview } from 'vite';

const webRoot = fileURLToPath(new URL('../../../web', import.meta.url));

export interface RunningSystem {
  readonly tenant: string;
  readonly config: Config;
  /** The built web app (vite preview), proxying /graphql (and its WebSocket) to the API. */
  readonly webUrl: string;
  readonly apiUrl: string;
  /** The API's services, e.g. to mint keys in token mode (`services.tenants.createWithOwnerKey`). */
  readonly services: App['services'];
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  stop(): Promise<void>;
}

/**
 * The whole platform for a browser test, on free ports: the API, role workers and orchestrator on
 * the offline provider, and the built web app served by `vite preview` — against the real Neo4j and
 * Redis, in a tenant of its own.
 */
export interface StartSystemOptions {
  /** Settings on top of the test defaults, e.g. `{ AUTH_MODE: 'token' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

export const startSystem = async (options: StartSystemOptions = {}): Promise<RunningSystem> => {
  const tenant = `test-web-${randomBytes(4).toString('hex')}`;
  // The page's origin must be allowed to open the API's WebSocket (vite's proxy keeps the Origin header).
  const webPort = await freePort();
  const config = loadConfig({
    ...process.env,
    ALLOWED_ORIGINS: `http://127.0.0.1:${webPort},http://localhost:${webPort}`,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DEFAULT_TENANT: '',
    ADMIN_TOKEN: 'web-admin',
    BUDGET_MIN_LEFT_USD: '0',
    WORKER_TENANTS: tenant,
    ORCHESTRATOR_INTERVAL_MS: '300',
    ORCHESTRATOR_METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    METRICS_PORT: '0',
    OPENAI_API_KEY: '',
    // Every test app calls from 127.0.0.1 and shares one Redis: per-address and per-caller counts would
    // add up across parallel test files (as in server/test/test-app.ts; the limits' own tests lower them).
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_MINUTE: '1000000',
    // Stripe Checkout (a fake one, when the test sets STRIPE_API_URL) sends the payer back to this web app.
    BILLING_RETURN_URL: `http://127.0.0.1:${webPort}/#/billing`,
    ...options.env,
  });
  const app = await buildApp(config);
  const { url: apiUrl, graphqlUrl } = await app.start();
  const workers = buildWorkers(config, { llm: new OfflineProvider() });
  await workers.start();
  const orchestrator = buildOrchestrator(config, { llm: new OfflineProvider(), onTick: () => {} });
  await orchestrator.start();

  process.env.AI_ORG_API_URL = apiUrl;
  const web = await preview({
    root: webRoot,
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: webPort, strictPort: true },
  });
  const webUrl = web.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';

  return {
    tenant,
    config,
    webUrl,
    apiUrl,
    services: app.services,
    async gql(query, variables) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': tenant, 'x-admin-token': 'web-admin' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      await new Promise<void>((resolve) => web.httpServer.close(() => resolve()));
      await orchestrator.stop();
      await workers.stop();
      await app.stop();
      const bolt = createNeo4jDriver(config.neo4j);
      await deleteTenantData([tenant], { bolt, redisUrl: config.redis.url }).finally(() => bolt.close());
    },
  };
};
