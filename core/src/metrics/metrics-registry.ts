import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricSpec } from './metric-names';

type LabelsOf<S extends MetricSpec> = S['labels'][number];

/** A registry with prom-client's default process metrics (`process_*`, `nodejs_*`). */
export const createMetricsRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

export const createCounter = <S extends MetricSpec & { type: 'counter' }>(registry: Registry, spec: S) =>
  new Counter<LabelsOf<S>>({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });

/** A gauge; with `collect`, its value is read on every scrape (prom-client awaits it). */
export const createGauge = <S extends MetricSpec & { type: 'gauge' }>(
  registry: Registry,
  spec: S,
  collect?: (gauge: Gauge<LabelsOf<S>>) => Promise<void>,
) =>
  new Gauge<LabelsOf<S>>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    registers: [registry],
    ...(collect && {
      async collect(this: Gauge<LabelsOf<S>>) {
        await collect(this);
      },
    }),
  });

export const createHistogram = <S extends MetricSpec & { type: 'histogram' }>(registry: Registry, spec: S) =>
  new Histogram<LabelsOf<S>>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    registers: [registry],
    ...(spec.buckets && { buckets: [...spec.buckets] }),
  });

/** Answers a scrape with the registry's exposition text; a failing collect answers 500, never hangs. */
export const metricsHandler =
  (registry: Registry) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
      .catch((error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${String(error)}\n`),
      );
  };

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A metrics listener of its own (GET any path → exposition text), as Prometheus scrapes it. */
export const serveMetrics = async (registry: Registry, host: string, port: number): Promise<MetricsServer> => {
  const server = createServer(metricsHandler(registry));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
