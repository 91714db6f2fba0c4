import { performance } from 'node:perf_hooks';
import { percentiles } from './report';

export interface Timing {
  readonly p50: number;
  readonly p99: number;
  readonly runs: number;
}

/**
 * Calls `work` `warmUp` times untimed (JIT, plan caches, connection pools), then `runs` times one after
 * another, and returns the p50 and p99 in milliseconds.
 */
export const timeRuns = async (
  work: () => Promise<unknown>,
  { runs, warmUp }: { runs: number; warmUp: number },
): Promise<Timing> => {
  for (let i = 0; i < warmUp; i += 1) await work();
  const sample: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await work();
    sample.push(performance.now() - start);
  }
  return { ...percentiles(sample), runs };
};

/** A positive integer from the environment (a benchmark's size), or the default. */
export const sizeFromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/**
 * Times two pieces of work run after run, alternating, so a load that comes and goes on a shared machine
 * weighs on both sides alike; p50 and p99 of each in milliseconds.
 */
export const timeAlternating = async (
  platform: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  { runs, warmUp }: { runs: number; warmUp: number },
): Promise<{ platform: Timing; baseline: Timing }> => {
  for (let i = 0; i < warmUp; i += 1) {
    await platform();
    await baseline();
  }
  const samples = { platform: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < runs; i += 1) {
    for (const [side, work] of [
      ['platform', platform],
      ['baseline', baseline],
    ] as const) {
      const start = performance.now();
      await work();
      samples[side].push(performance.now() - start);
    }
  }
  return {
    platform: { ...percentiles(samples.platform), runs },
    baseline: { ...percentiles(samples.baseline), runs },
  };
};
