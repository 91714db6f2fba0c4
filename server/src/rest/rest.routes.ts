import { AppError, httpStatusByCode } from '@ai-org/core';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { type IdentityOptions, identify } from '../auth/identity';
import type { Services } from '../context';
import { classifyError } from '../graphql/format-error';
import type { HealthService } from '../health/health.service';
import { jsonBody } from '../http/json-body';
import { fromRestTaskBody, toRestGraph, toRestTask } from './rest.serializers';

export interface RestOptions {
  readonly services: Services;
  readonly health: HealthService;
  readonly identity: IdentityOptions;
  /** Larger bodies are refused with 413 PAYLOAD_TOO_LARGE. */
  readonly maxBodySize: string;
  readonly onInternalError: (error: unknown) => void;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * The seed's REST routes as thin aliases over the same services the GraphQL API uses. The tenant
 * comes from the same identity seam (x-tenant-id header, else the default tenant).
 */
export const createRestRouter = ({
  services,
  health,
  identity: identityOptions,
  maxBodySize,
  onInternalError,
}: RestOptions): Router => {
  const tenantOf = (req: Request): string => {
    const identity = identify(req.headers, identityOptions);
    if (!identity) throw new AppError('UNAUTHENTICATED', 'Name your tenant with the x-tenant-id header');
    return identity.tenantId;
  };
  const route =
    (handler: Handler) =>
    (req: Request, res: Response, next: NextFunction): void => {
      handler(req, res).catch(next);
    };

  const router = Router();
  router.use(jsonBody(maxBodySize));
  router.get(
    '/',
    route(async (req, res) => {
      const state = await health.check(identify(req.headers, identityOptions)?.tenantId);
      res.status(state.status === 'ok' ? 200 : 503).json({
        status: state.status,
        neo4j: state.neo4j,
        redis: state.redis,
        budget_left: state.budgetLeftUsd,
      });
    }),
  );
  router.get(
    '/backlog',
    route(async (req, res) => {
      const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : undefined;
      const tasks = await services.tasks.backlog(tenantOf(req), limit);
      res.json(tasks.map(toRestTask));
    }),
  );
  router.post(
    '/task',
    route(async (req, res) => {
      const task = await services.tasks.create(tenantOf(req), fromRestTaskBody(req.body));
      res.status(201).json(toRestTask(task));
    }),
  );
  router.get(
    '/api/graph',
    route(async (req, res) => {
      res.json(toRestGraph(await services.tasks.graph(tenantOf(req))));
    }),
  );
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const appError = classifyError(error);
    if (appError.code === 'INTERNAL_SERVER_ERROR') onInternalError(error);
    res.status(httpStatusByCode[appError.code]).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.details ? { details: appError.details } : {}),
      },
    });
  });
  return router;
};
