import type { Router } from 'express';
import type { Services } from '../../src/context';
import type { HealthService } from '../../src/health/health.service';
import { createRestRouter } from '../../src/rest/rest.routes';
import { createStripeWebhookRouter } from '../../src/rest/stripe-webhook.route';

interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Readonly<Record<string, boolean>> };
}

/** Every REST route the API serves, as `GET /backlog`, read from the routers themselves (nothing is called). */
export const restRoutes = (): string[] => {
  const router: Router = createRestRouter({
    services: {} as Services,
    health: {} as HealthService,
    identify: async () => undefined,
    authMode: 'development',
    maxBodySize: '1kb',
    onInternalError: () => {},
  });
  const webhooks: Router = createStripeWebhookRouter({
    handleWebhook: async () => ({ status: 'ignored', eventId: '', detail: '' }),
  });
  return ([...router.stack, ...webhooks.stack] as RouteLayer[]).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route?.path}`) : [],
  );
};
