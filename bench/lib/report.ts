import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One side of a comparison: what was measured and its figure. */
export interface Side {
  readonly label: string;
  readonly value: number;
  /** e.g. `ms p50`, `tasks/s`. */
  readonly unit: string;
}

/** The platform against a baseline measured in the same run. */
export interface Comparison {
  readonly name: string;
  readonly platform: Side;
  readonly baseline: Side;
  /** platform ÷ baseline (for times: how many times slower; for rates: the share of the baseline). */
  readonly ratio: number;
  /** The target, as text, e.g. `≤ 1.5×`. */
  readonly target: string;
  /** Whether the target holds; null when the comparison has no target. */
  readonly met: boolean | null;
  readonly note?: string;
}

/** A correctness check every benchmark run must pass (ledger exact, dispatched once…). */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Section {
  /** `B1` … `B6`. */
  readonly id: string;
  readonly title: string;
  readonly comparisons: readonly Comparison[];
  readonly checks: readonly Check[];
  /** Other figures worth keeping (sizes, memory per socket…), shown as a list. */
  readonly figures?: Readonly<Record<string, string>>;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Keeps a benchmark's section for `bench/RESULTS.md` (written by `npm run bench` at the end). */
export const saveSection = (section: Section): void => {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${section.id}.json`), `${JSON.stringify(section, null, 2)}\n`);
  printSection(section);
};

export const readSections = (): Section[] => {
  try {
    return readdirSync(resultsDir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Section);
  } catch {
    return [];
  }
};

export const formatNumber = (value: number): string =>
  Number.isFinite(value) ? (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)) : String(value);

const sideText = (side: Side) => `${side.label}: ${formatNumber(side.value)} ${side.unit}`;

export const printSection = (section: Section): void => {
  console.log(`\n${section.id} ${section.title}`);
  for (const c of section.comparisons) {
    const verdict = c.met === null ? '' : c.met ? '  ✔ met' : '  ✘ NOT met';
    console.log(
      `  ${c.name}: ${sideText(c.platform)} | ${sideText(c.baseline)} | ratio ${formatNumber(c.ratio)}× (target ${c.target})${verdict}`,
    );
  }
  for (const check of section.checks) console.log(`  check ${check.ok ? '✔' : '✘'} ${check.name}: ${check.detail}`);
};

/** The median and the 99th percentile of a sample, in its own unit. */
export const percentiles = (sample: readonly number[]): { p50: number; p99: number } => {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
};
