import {
  createGauge,
  createHistogram,
  createMetricsRegistry,
  type DispatchOutcome,
  dispatchOutcomes,
  metricSpecs,
} from '@ai-org/core';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Registry } from 'prom-client';

const operationTypes = ['query', 'mutation', 'subscription', 'unknown'] as const;
const outcomes = ['success', 'error'] as const;

/**
 * The API's Prometheus metrics: GraphQL operation durations, open subscription sockets, the durations
 * of the dispatches its mutations make, process defaults.
 */
export class ApiMetrics {
  readonly registry: Registry = createMetricsRegistry();
  private readonly operationDuration = createHistogram(this.registry, metricSpecs.graphqlOperationDuration);
  private readonly connections = createGauge(this.registry, metricSpecs.subscriptionConnections);
  private readonly dispatchDuration = createHistogram(this.registry, metricSpecs.dispatchDuration);

  constructor() {
    for (const operation_type of operationTypes) {
      for (const outcome of outcomes) this.operationDuration.zero({ operation_type, outcome });
    }
    for (const outcome of dispatchOutcomes) this.dispatchDuration.zero({ outcome });
  }

  /** One dispatch made by `dispatchTask` or `dispatchReadyTasks` (the domain's dispatch observer). */
  dispatchObserved(outcome: DispatchOutcome, seconds: number): void {
    this.dispatchDuration.observe({ outcome }, seconds);
  }

  connectionOpened(): void {
    this.connections.inc();
  }

  connectionClosed(): void {
    this.connections.dec();
  }

  /**
   * Times every HTTP GraphQL request from arrival to response. The operation type is known once the
   * document parsed and validated (otherwise `unknown`); any error in the response makes it `error`.
   */
  apolloPlugin(): ApolloServerPlugin {
    const histogram = this.operationDuration;
    return {
      async requestDidStart() {
        const startedAt = performance.now();
        let operationType: (typeof operationTypes)[number] = 'unknown';
        return {
          async didResolveOperation({ operation }) {
            operationType = operation?.operation ?? operationType;
          },
          async willSendResponse({ errors, response }) {
            const body = response.body;
            const failed =
              (errors?.length ?? 0) > 0 || (body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0);
            histogram.observe(
              { operation_type: operationType, outcome: failed ? 'error' : 'success' },
              (performance.now() - startedAt) / 1000,
            );
          },
        };
      },
    };
  }
}
