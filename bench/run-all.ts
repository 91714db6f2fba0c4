/**
 * `npm run bench`: runs every benchmark one after another (each starts the stack it needs on free ports,
 * in tenants of its own, and cleans up), then writes bench/RESULTS.md from their sections. Exits 1 when a
 * benchmark failed to run or a correctness check failed; a missed speed target is reported, not fatal.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber, readSections, type Section } from './lib/report';

const benchDir = dirname(fileURLToPath(import.meta.url));
const benches = (process.env.BENCH_ONLY ?? 'reads,tick,inspector,pipeline,budget,live,graph-render,costs')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');

rmSync(join(benchDir, 'results'), { recursive: true, force: true });
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.bench.ts`)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
}

const sections = readSections();
const table = (section: Section) => [
  `## ${section.id} ${section.title}`,
  '',
  '| comparison | platform | baseline | ratio | target | met |',
  '|---|---|---|---|---|---|',
  ...section.comparisons.map(
    (c) =>
      `| ${c.name} | ${c.platform.label}: ${formatNumber(c.platform.value)} ${c.platform.unit} | ${c.baseline.label}: ${formatNumber(c.baseline.value)} ${c.baseline.unit} | ${formatNumber(c.ratio)}× | ${c.target} | ${c.met === null ? '—' : c.met ? 'yes' : `**no**${c.note ? ` (${c.note})` : ''}`} |`,
  ),
  '',
  ...(section.checks.length > 0
    ? ['Correctness checks:', '', ...section.checks.map((c) => `- ${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`), '']
    : []),
  ...(section.figures
    ? ['Figures:', '', ...Object.entries(section.figures).map(([key, value]) => `- ${key}: ${value}`), '']
    : []),
];
const markdown = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString()} (${process.platform}, Node ${process.version}).`,
  'Every ratio compares the platform with a baseline measured in the same run on the same machine; the absolute',
  'figures only mean something next to their baseline.',
  '',
  ...sections.flatMap(table),
  ...(failed.length > 0 ? ['## Benchmarks that did not run to the end', '', ...failed.map((f) => `- ${f}`), ''] : []),
].join('\n');
writeFileSync(join(benchDir, 'RESULTS.md'), markdown);
console.log(`\nwrote bench/RESULTS.md (${sections.length} sections)`);
const badChecks = sections.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.id} ${c.name}`));
if (failed.length > 0 || badChecks.length > 0) {
  console.error(`failed: ${[...failed, ...badChecks].join(', ')}`);
  process.exit(1);
}
