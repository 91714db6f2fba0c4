import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Config,
  checkRedisPolicy,
  createLogger,
  createRedisClient,
  httpStatusByCode,
  type MetricsServer,
  metricsHandler,
  serveMetrics,
} from '@ai-org/core';
import { createDomain } from '@ai-org/domain';
import { buildNeo4jSchema, createNeo4jDriver } from '@ai-org/schema';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RequestContext, Services } from './context';
import { composeSchema } from './graphql/compose';
import { createContextFactory } from './graphql/context.factory';
import { classifyError, createFormatError } from './graphql/format-error';
import { readArgumentsCheck, readArgumentsPlugin } from './graphql/read-arguments';
import { HealthService } from './health/health.service';
import { jsonBody } from './http/json-body';
import { attachGraphqlWs } from './live/graphql-ws.server';
import { LiveEvents } from './live/live-events';
import { ApiMetrics } from './metrics/api-metrics';
import { createRestRouter } from './rest/rest.routes';

export const graphqlPath = '/graphql';
/** Bodies above this are refused with 413; a plan of hundreds of tasks fits comfortably. */
export const maxBodySize = '2mb';

export interface App {
  /** Listens on the configured host and port (port 0 picks a free one); resolves with the URLs. */
  start(): Promise<{ url: string; graphqlUrl: string; wsUrl: string }>;
  /** Closes HTTP and WebSocket, then Neo4j and Redis. */
  stop(): Promise<void>;
  readonly services: Services;
}

/** Builds the API server without side effects; only `start()` opens connections and ports. */
export const buildApp = async (config: Config): Promise<App> => {
  const logger = createLogger(config.log, 'api');
  const onInternalError = (error: unknown) => logger.error({ err: error }, 'unexpected error');
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'producer', 'ai-org-api');
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  const database = config.neo4j.database;
  // Subscriber mode needs a connection of its own; it waits for Redis rather than failing fast.
  const subscriber = createRedisClient(config.redis.url, 'worker', 'ai-org-api-events');
  subscriber.on('error', (error) => logger.debug({ err: error }, 'redis subscriber error'));
  const domain = createDomain(config, { driver, redis, logger });
  const live = new LiveEvents(subscriber, redis);
  const services: Services = {
    tasks: domain.tasks,
    budget: domain.budget,
    dispatch: domain.dispatch,
    goals: domain.goals,
    inspection: domain.inspection,
    live,
    notifications: domain.notifications,
  };
  const health = new HealthService(driver, redis, database);
  const neo4jSchema = await buildNeo4jSchema(driver);
  const schema = composeSchema(neo4jSchema);
  const identityOptions = { defaultTenant: config.defaultTenant, adminToken: config.adminToken };
  const contextFor = createContextFactory(services, identityOptions, database);

  const metrics = new ApiMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics.registry));
  const httpServer: Server = createServer(app);
  const formatError = createFormatError({ development: config.env === 'development', onInternalError });
  const wsCleanup = attachGraphqlWs({
    httpServer,
    path: graphqlPath,
    schema,
    identity: identityOptions,
    contextFor,
    onConnectionCount: (delta) => (delta > 0 ? metrics.connectionOpened() : metrics.connectionClosed()),
    formatError,
    checkOperation: readArgumentsCheck(neo4jSchema, schema),
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    // main.ts owns SIGINT/SIGTERM and stops everything in order; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.env === 'development',
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.apolloPlugin(),
      readArgumentsPlugin(neo4jSchema),
    ],
  });

  let metricsServer: MetricsServer | undefined;
  const start: App['start'] = async () => {
    await checkRedisPolicy(config.redis.url, { production: config.env === 'production', logger });
    redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'Redis is not reachable yet'));
    subscriber.connect().catch(() => undefined); // retries on its own
    await apollo.start();
    app.use(
      graphqlPath,
      jsonBody(maxBodySize),
      expressMiddleware(apollo, { context: async ({ req }) => contextFor(req.headers) }),
    );
    app.use(createRestRouter({ services, health, identity: identityOptions, maxBodySize, onInternalError }));
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
