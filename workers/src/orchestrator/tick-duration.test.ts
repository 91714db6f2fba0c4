import { metricNames } from '@ai-org/core';
import type { MetricValueWithName } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OrchestratorMetrics } from './orchestrator-metrics';

const countsOf = async (metrics: OrchestratorMetrics) => {
  const histogram = await metrics.registry.getSingleMetric(metricNames.tickDuration)?.get();
  const values = (histogram?.values ?? []) as MetricValueWithName<string>[];
  return values
    .filter((value) => value.metricName === `${metricNames.tickDuration}_count`)
    .map((value) => ({ tenant: value.labels.tenant, outcome: value.labels.outcome, count: value.value }));
};

describe('the tick-duration histogram', () => {
  it("counts each tenant's ticks by outcome, with both outcomes' series from the tenant's first tick", async () => {
    const metrics = new OrchestratorMetrics(async () => []);
    metrics.tickObserved('acme', 'ok', 0.02);
    metrics.tickObserved('acme', 'ok', 0.5);
    metrics.tickObserved('globex', 'failed', 1.5);

    expect(await countsOf(metrics)).toEqual(
      expect.arrayContaining([
        { tenant: 'acme', outcome: 'ok', count: 2 },
        { tenant: 'acme', outcome: 'failed', count: 0 },
        { tenant: 'globex', outcome: 'ok', count: 0 },
        { tenant: 'globex', outcome: 'failed', count: 1 },
      ]),
    );
    expect(await countsOf(metrics)).toHaveLength(4);
  });
});
