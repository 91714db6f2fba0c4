/**
 * Times the inspector on a 100,000-task DAG (~300,000 edges) against baselines measured in the same run, so the
 * ratios say something on any machine while the absolute figures say whether the goal holds: inspecting a
 * 100,000-task DAG "in well under a second". Exits non-zero only when `inspect` takes over 1 s. Saves its
 * figures as section B4i of bench/RESULTS.md.
 */
import { performance } from 'node:perf_hooks';
import { admissionOrder, type InspectedTask, inspect, syntheticDag } from '@ai-org/domain';
import { type Comparison, saveSection } from './lib/report';

const size = 100_000;
const runs = 5;
const limitMs = 1_000;
const microUsdPer1kTokens = 1_000;

const tasks = syntheticDag({ size, extraEdgesPerTask: 2, doneCount: size / 10, seed: 2024 });
const edges = tasks.reduce((sum, task) => sum + task.dependsOn.length, 0);

// Results feed this sink so no engine can drop a timed call as dead code.
let sink = 0;

/** Median wall time of `runs` calls after one warm-up call (which lets the JIT settle). */
const medianMs = (work: () => number): number => {
  sink += work();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    sink += work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? Number.NaN;
};

/** Baseline 1: touch every task once and read how many dependencies it has. */
const sumDependencies = (): number => {
  let total = 0;
  for (const task of tasks) total += task.dependsOn.length;
  return total;
};

/** Baseline 2: what any id-based graph walk pays up front: index the ids, then resolve every edge once. */
const resolveEdges = (): number => {
  const indexOf = new Map<string, number>();
  for (let i = 0; i < tasks.length; i += 1) indexOf.set((tasks[i] as InspectedTask).id, i);
  let resolved = 0;
  for (const task of tasks) for (const id of task.dependsOn) resolved += indexOf.get(id) === undefined ? 0 : 1;
  return resolved;
};

const results = {
  sumDependencies: medianMs(sumDependencies),
  resolveEdges: medianMs(resolveEdges),
  inspect: medianMs(() => inspect(tasks).criticalPath.byCount.tasks),
  admissionOrder: medianMs(() => admissionOrder(tasks, microUsdPer1kTokens).length),
};

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const ratio = (value: number, base: number): string => `${(value / base).toFixed(1)}×`;

console.log(
  `inspector bench: ${size.toLocaleString('en')} tasks, ${edges.toLocaleString('en')} edges, median of ${runs}`,
);
console.log(`  baseline sumDependencies  ${ms(results.sumDependencies)}`);
console.log(`  baseline resolveEdges     ${ms(results.resolveEdges)}`);
for (const name of ['inspect', 'admissionOrder'] as const) {
  const value = results[name];
  console.log(
    `  ${name.padEnd(24)} ${ms(value)}  (${ratio(value, results.sumDependencies)} sumDependencies, ` +
      `${ratio(value, results.resolveEdges)} resolveEdges)`,
  );
}
console.log(`  (sink ${sink})`);

const against = (name: keyof typeof results, baseline: 'sumDependencies' | 'resolveEdges'): Comparison => ({
  name: `${name}, ${size.toLocaleString('en')} tasks`,
  platform: { label: name, value: results[name], unit: 'ms median' },
  baseline: { label: baseline, value: results[baseline], unit: 'ms median' },
  ratio: results[name] / results[baseline],
  target: name === 'inspect' ? `< ${limitMs} ms absolute` : '—',
  met: name === 'inspect' ? results.inspect <= limitMs : null,
});
saveSection({
  id: 'B4i',
  title: 'Inspector on a 100,000-task DAG',
  comparisons: [against('inspect', 'resolveEdges'), against('admissionOrder', 'resolveEdges')],
  checks: [],
  figures: {
    graph: `${size.toLocaleString('en')} tasks, ${edges.toLocaleString('en')} edges, 10% done`,
    'sumDependencies (one pass over the tasks)': ms(results.sumDependencies),
    runs: `median of ${runs} runs after one warm-up`,
  },
});

if (results.inspect > limitMs) {
  console.error(`inspect took ${ms(results.inspect)}, over the ${ms(limitMs)} limit`);
  process.exitCode = 1;
}
