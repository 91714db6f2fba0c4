import { loadConfig, metricNames } from '@ai-org/core';
import { createHarness, type Harness, testEnv } from '@ai-org/testing/workers';
import type { MetricValueWithName } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../src/llm';
import { buildOrchestrator, type Orchestrator } from '../src/orchestrator/orchestrator';

describe("the orchestrator's tick-duration histogram", () => {
  let h: Harness;
  let orchestrator: Orchestrator | undefined;
  afterEach(async () => {
    await orchestrator?.stop();
    await h.close();
  });

  it('observes every tick of a tenant it serves, the first sweep included', async () => {
    h = await createHarness();
    // No sweep but the first: only the ticks this test makes.
    const config = loadConfig(
      testEnv({ WORKER_TENANTS: h.tenant, ORCHESTRATOR_INTERVAL_MS: '3600000', ORCHESTRATOR_METRICS_PORT: '0' }),
    );
    orchestrator = buildOrchestrator(config, { llm: new OfflineProvider(), onTick: () => {} });
    await h.plan({ tasks: [{ key: 'a', description: 'Some work', owner: 'dev', tokensPlan: 2 }] });
    await orchestrator.start();
    await orchestrator.tick(h.tenant);
    await orchestrator.tick(h.tenant);

    const histogram = await orchestrator.metrics.registry.getSingleMetric(metricNames.tickDuration)?.get();
    const count = (outcome: string) =>
      ((histogram?.values ?? []) as MetricValueWithName<string>[]).find(
        (value) =>
          value.metricName === `${metricNames.tickDuration}_count` &&
          value.labels.tenant === h.tenant &&
          value.labels.outcome === outcome,
      )?.value;
    expect(count('ok')).toBe(3);
    expect(count('failed')).toBe(0);
  });
});
