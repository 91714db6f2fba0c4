import type { BillingService } from '@ai-org/domain';
import express, { type NextFunction, type Request, type Response, Router } from 'express';

export const stripeWebhookPath = '/webhooks/stripe';

/** Stripe's events are small; anything larger is not one of them. */
const maxEventBytes = '256kb';

/**
 * `POST /webhooks/stripe`: Stripe's signed events. The signature covers the raw bytes, so this route
 * reads the body itself (never through the JSON parser). No caller identity: the signature is the
 * credential. 200 once handled (also for a replay, so Stripe stops sending it); 400 for a bad
 * signature or an event that does not match a payment of ours (logged).
 */
export const createStripeWebhookRouter = (billing: Pick<BillingService, 'handleWebhook'>): Router => {
  const router = Router();
  router.post(
    stripeWebhookPath,
    express.raw({ type: () => true, limit: maxEventBytes }),
    (req: Request, res: Response, next: NextFunction) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      billing
        .handleWebhook(body, req.header('stripe-signature'))
        .then((outcome) => void res.json({ received: true, status: outcome.status }), next);
    },
  );
  return router;
};
