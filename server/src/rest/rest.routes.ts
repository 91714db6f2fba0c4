import { AppError, type AuthMode, httpStatusByCode, roleAtLeast, type TenantRole } from '@ai-org/core';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { signInMessage } from '../auth/access';
import type { Identity } from '../auth/identity';
import type { Services } from '../context';
import { classifyError } from '../graphql/format-error';
import type { HealthService } from '../health/health.service';
import { jsonBody } from '../http/json-body';
import { retryAfterSecondsOf } from '../limits/retry-after';
import { fromRestTaskBody, toRestGraph, toRestTask } from './rest.serializers';
import { usageCsv, usageFileName, usageRequestOf } from './usage-csv.serializer';

export interface RestOptions {
  readonly services: Services;
  readonly health: HealthService;
  /** The request's identity, through the same seam as GraphQL (undefined: anonymous); throws when invalid. */
  readonly identify: (req: Request) => Promise<Identity | undefined>;
  readonly authMode: AuthMode;
  /** Larger bodies are refused with 413 PAYLOAD_TOO_LARGE. */
  readonly maxBodySize: string;
  readonly onInternalError: (error: unknown) => void;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * The seed's REST routes as thin aliases over the same services the GraphQL API uses. The caller comes
 * from the same identity seam, with the same roles: reading needs a viewer, creating a task a member.
 */
export const createRestRouter = ({
  services,
  health,
  identify,
  authMode,
  maxBodySize,
  onInternalError,
}: RestOptions): Router => {
  const tenantOf = async (req: Request, needed: TenantRole): Promise<string> => {
    const identity = await identify(req);
    if (!identity) throw new AppError('UNAUTHENTICATED', signInMessage);
    if (identity.tenantId === null || identity.role === null || !roleAtLeast(identity.role, needed)) {
      throw new AppError('FORBIDDEN', 'Your role does not allow this operation');
    }
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
      // Public: a caller's credential, when valid, only adds its budget; a bad one is ignored here.
      const tenantId = await identify(req).then(
        (identity) => identity?.tenantId ?? undefined,
        () => undefined,
      );
      const state = await health.check(tenantId);
      res.status(state.status === 'ok' ? 200 : 503).json({
        status: state.status,
        auth: authMode,
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
      const tasks = await services.tasks.backlog(await tenantOf(req, 'viewer'), limit);
      res.json(tasks.map(toRestTask));
    }),
  );
  router.post(
    '/task',
    route(async (req, res) => {
      const task = await services.tasks.create(await tenantOf(req, 'member'), fromRestTaskBody(req.body));
      res.status(201).json(toRestTask(task));
    }),
  );
  router.get(
    '/api/graph',
    route(async (req, res) => {
      res.json(toRestGraph(await services.tasks.graph(await tenantOf(req, 'viewer'))));
    }),
  );
  router.get(
    '/usage.csv',
    route(async (req, res) => {
      // Viewers look at money, like the GraphQL `usage` statement this is the CSV of.
      const tenantId = await tenantOf(req, 'viewer');
      const statement = await services.usage.statement(tenantId, usageRequestOf(req.query));
      res
        .status(200)
        .set({
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${usageFileName(statement)}"`,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
        })
        .send(usageCsv(statement));
    }),
  );
  router.get(
    '/workspaces/:id/bundle',
    route(async (req, res) => {
      const tenantId = await tenantOf(req, 'member');
      const id = String(req.params.id);
      if (!/^[0-9a-z]{8}$/.test(id)) throw new AppError('BAD_USER_INPUT', 'A workspace id has 8 letters or digits');
      const format = req.query.format ?? 'tar';
      if (format !== 'tar' && format !== 'git')
        throw new AppError('BAD_USER_INPUT', 'format is tar (the tree as .tar.gz, the default) or git (a git bundle)');
      const file = await services.workspaces.download(tenantId, id, format === 'tar' ? 'tar' : 'bundle');
      await new Promise<void>((resolve, reject) => {
        res.download(
          file.path,
          file.fileName,
          {
            headers: {
              'content-type': file.contentType,
              // The checksum recorded when the release was made: verify what you downloaded against it.
              'x-checksum-sha256': file.sha256,
              'cache-control': 'private, no-store',
            },
            dotfiles: 'allow',
          },
          (error) => {
            if (!error || res.headersSent) return resolve();
            // Recorded but not on this host's disk: WORKSPACE_ROOT is not shared with the workers.
            const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
            reject(missing ? new AppError('NOT_FOUND', 'The release file is not on this server') : error);
          },
        );
      });
    }),
  );
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const appError = classifyError(error);
    if (appError.code === 'INTERNAL_SERVER_ERROR') onInternalError(error);
    const retryAfter = retryAfterSecondsOf(appError);
    if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
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
