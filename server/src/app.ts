import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Config,
  checkRedisPolicy,
  createLogger,
  createRedisClient,
  httpStatusByCode,
  type MetricsServer,
  serveMetrics,
} from '@ai-org/core';
import { createDomain } from '@ai-org/domain';
import { buildNeo4jSchema, createNeo4jDriver } from '@ai-org/schema';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { assertAuthModeAllowed } from './auth/auth-mode';
import { credentialsFromHeaders } from './auth/credentials';
import { createAuthenticator } from './auth/identity';
import { createJwtVerifier } from './auth/jwt-verifier';
import type { RequestContext, Services } from './context';
import { composeSchema } from './graphql/compose';
import { createContextFactory } from './graphql/context.factory';
import { classifyError, createFormatError } from './graphql/format-error';
import { noStorePlugin } from './graphql/no-store.plugin';
import { readArgumentsCheck, readArgumentsPlugin } from './graphql/read-arguments';
import { HealthService } from './health/health.service';
import { jsonBody } from './http/json-body';
import { addressLimit, clientAddress } from './limits/address-limit.middleware';
import { apolloLimitOptions, createDocumentCheck, graphqlLimits } from './limits/graphql-limits';
import { createOriginCheck } from './limits/origin-check';
import { createRateLimits } from './limits/rate-limits';
import { retryAfterPlugin } from './limits/retry-after.plugin';
import { bucketOf, createTenantCaps, tenantOperationsPlugin } from './limits/tenant-operations';
import { attachGraphqlWs } from './live/graphql-ws.server';
import { LiveEvents } from './live/live-events';
import { ApiMetrics } from './metrics/api-metrics';
import { createRestRouter } from './rest/rest.routes';
import { createStripeWebhookRouter } from './rest/stripe-webhook.route';

export const graphqlPath = '/graphql';
/** Bodies above this are refused with 413 (and larger socket messages with 1009); a plan of hundreds of tasks fits. */
export const maxBodySize = `${graphqlLimits.maxRequestBytes}b`;

export interface App {
  /** Listens on the configured host and port (port 0 picks a free one); resolves with the URLs. */
  start(): Promise<{ url: string; graphqlUrl: string; wsUrl: string }>;
  /** Closes HTTP and WebSocket, then Neo4j and Redis. */
  stop(): Promise<void>;
  readonly services: Services;
}

/** Builds the API server without side effects; only `start()` opens connections and ports. */
export const buildApp = async (config: Config): Promise<App> => {
  assertAuthModeAllowed(config);
  const logger = createLogger(config.log, 'api');
  const onInternalError = (error: unknown) => logger.error({ err: error }, 'unexpected error');
  const driver = createNeo4jDriver({ ...config.neo4j, transactionTimeoutMs: config.limits.neo4jTransactionTimeoutMs });
  const redis = createRedisClient(config.redis, 'producer', 'ai-org-api');
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  // Per address and per caller in Redis (shared by every instance); per tenant in process (this instance).
  const rateLimits = createRateLimits(redis, config.limits);
  const tenantCaps = createTenantCaps(config.limits);
  const database = config.neo4j.database;
  // Subscriber mode needs a connection of its own; it waits for Redis rather than failing fast.
  const subscriber = createRedisClient(config.redis, 'worker', 'ai-org-api-events');
  subscriber.on('error', (error) => logger.debug({ err: error }, 'redis subscriber error'));
  const metrics = new ApiMetrics();
  const domain = createDomain(
    config,
    { driver, redis, logger },
    { onDispatch: (outcome, seconds) => metrics.dispatchObserved(outcome, seconds) },
  );
  const live = new LiveEvents(subscriber, redis);
  const services: Services = {
    tasks: domain.tasks,
    budget: domain.budget,
    billing: domain.billing,
    usage: domain.usage,
    dispatch: domain.dispatch,
    goals: domain.goals,
    planApprovals: domain.planApprovals,
    inspection: domain.inspection,
    live,
    notifications: domain.notifications,
    apiKeys: domain.apiKeys,
    tenants: domain.tenants,
    limits: domain.limits,
    workspaces: domain.workspaces,
  };
  const health = new HealthService(driver, redis, database);
  const neo4jSchema = await buildNeo4jSchema(driver);
  const schema = composeSchema(neo4jSchema, { authMode: config.auth.mode });
  const authenticator = createAuthenticator({
    mode: config.auth.mode,
    defaultTenant: config.defaultTenant,
    adminToken: config.adminToken,
    apiKeys: domain.apiKeys,
    jwt: createJwtVerifier(config.auth.jwt),
    tenants: domain.tenants,
    throttle: rateLimits,
  });
  const contextFor = createContextFactory({
    services,
    authenticator,
    database,
    onIdentity: (identity) => rateLimits.consumeCaller(identity.subject),
  });
  const contextOf = (req: Request) => contextFor(credentialsFromHeaders(req.headers), clientAddress(req));
  const identifyRequest = async (req: Request) => (await contextOf(req)).identity;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  // /metrics is served only on the metrics listener (METRICS_PORT), never on the public port.
  const httpServer: Server = createServer(app);
  const formatError = createFormatError({
    debugErrors: config.auth.debugErrors,
    hideSuggestions: !config.auth.introspection,
    onInternalError,
  });
  const limitOptions = { introspection: config.auth.introspection };
  const checkDocument = createDocumentCheck(schema, limitOptions);
  const checkReadArguments = readArgumentsCheck(neo4jSchema, schema);
  const wsCleanup = attachGraphqlWs({
    httpServer,
    path: graphqlPath,
    schema,
    contextFor,
    recheckMs: config.auth.socketRecheckMs,
    onConnectionCount: (delta) => (delta > 0 ? metrics.connectionOpened() : metrics.connectionClosed()),
    formatError,
    // The same document limits as Apollo applies over HTTP, then the read arguments.
    checkOperation: (payload) => {
      const refused = checkDocument(payload.query);
      return refused.length > 0 ? refused : checkReadArguments(payload);
    },
    maxMessageBytes: graphqlLimits.maxRequestBytes,
    isAllowedOrigin: createOriginCheck(config.auth.allowedOrigins),
    onSocketOpened: (identity) => tenantCaps.openSocket(bucketOf({ identity })),
    onSocketClosed: (identity) => tenantCaps.closeSocket(bucketOf({ identity })),
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    // Depth, alias, directive, token and cost limits; introspection per config; HTTP batching off.
    ...apolloLimitOptions(limitOptions),
    // main.ts owns SIGINT/SIGTERM and stops everything in order; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.auth.debugErrors,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No per-field cache policy (it wrapped every resolver); every answer is `no-store` all the same.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin(),
      metrics.apolloPlugin(),
      readArgumentsPlugin(neo4jSchema),
      retryAfterPlugin(),
      tenantOperationsPlugin(tenantCaps.operations),
    ],
  });

  let metricsServer: MetricsServer | undefined;
  const start: App['start'] = async () => {
    await checkRedisPolicy(config.redis, { production: config.env === 'production', logger });
    redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'Redis is not reachable yet'));
    subscriber.connect().catch(() => undefined); // retries on its own
    await apollo.start();
    app.use(addressLimit({ limits: rateLimits, graphqlPath }));
    app.use(
      graphqlPath,
      jsonBody(maxBodySize),
      expressMiddleware(apollo, {
        context: ({ req }) => contextOf(req),
      }),
    );
    app.use(createStripeWebhookRouter(services.billing));
    app.use(
      createRestRouter({
        services,
        health,
        identify: identifyRequest,
        authMode: config.auth.mode,
        maxBodySize,
        onInternalError,
      }),
    );
    // Last resort for errors outside resolvers and routes (e.g. unreadable /graphql bodies): JSON, never a stack.
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      const appError = classifyError(error);
      if (appError.code === 'INTERNAL_SERVER_ERROR') onInternalError(error);
      const body = { message: appError.message, extensions: { code: appError.code } };
      res
        .status(httpStatusByCode[appError.code])
        .json(
          req.path.startsWith(graphqlPath)
            ? { errors: [body] }
            : { error: { code: appError.code, message: appError.message } },
        );
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.http.port, config.http.host, resolve);
    });
    if (config.http.metricsPort > 0) {
      metricsServer = await serveMetrics(metrics.registry, config.http.host, config.http.metricsPort);
    }
    const { port } = httpServer.address() as AddressInfo;
    const base = `http://${config.http.host}:${port}`;
    return { url: base, graphqlUrl: `${base}${graphqlPath}`, wsUrl: `ws://${config.http.host}:${port}${graphqlPath}` };
  };

  const stop: App['stop'] = async () => {
    await wsCleanup.dispose();
    await apollo.stop();
    await metricsServer?.close();
    await domain.close();
    await live.close();
    await driver.close();
    redis.disconnect();
  };

  return { start, stop, services };
};
