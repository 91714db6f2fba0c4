import type { Router } from 'express';
import type { Services } from '../../src/context';
import type { HealthService } from '../../src/health/health.service';
import { createRestRouter } from '../../src/rest/rest.routes';

interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Readonly<Record<string, boolean>> };
}

/** Every REST route the API serves, as `GET /backlog`, read from the router itself (nothing is called). */
export const restRoutes = (): string[] => {
  const router: Router = createRestRouter({
    services: {} as Services,
    health: {} as HealthService,
    identify: async () => undefined,
    authMode: 'development',
    maxBodySize: '1kb',
    onInternalError: () => {},
  });
  return (router.stack as RouteLayer[]).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route?.path}`) : [],
  );
};
