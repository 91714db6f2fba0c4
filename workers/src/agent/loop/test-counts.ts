/** Passed and failed counts, when the runner printed them; null when it did not say. */
export interface TestCounts {
  readonly passed: number | null;
  readonly failed: number | null;
}

const lastNumber = (output: string, pattern: RegExp): number | null => {
  const matches = [...output.matchAll(pattern)];
  const value = matches.at(-1)?.[1];
  return value === undefined ? null : Number(value);
};

/**
 * Reads the summary the common runners print: node's test runner and TAP (`# pass 3`, `# fail 1`),
 * vitest and jest (`Tests  3 passed | 1 failed`, `Tests: 1 failed, 3 passed`), mocha (`3 passing`,
 * `1 failing`). The last summary in the output wins (a runner printing per-file summaries first).
 */
export const parseTestCounts = (output: string): TestCounts => {
  const passed =
    lastNumber(output, /^#\s*pass\s+(\d+)\s*$/gm) ??
    lastNumber(output, /^\s*Tests:?\s+.*?(\d+)\s+passed/gm) ??
    lastNumber(output, /^\s*(\d+)\s+passing\b/gm);
  const failed =
    lastNumber(output, /^#\s*fail\s+(\d+)\s*$/gm) ??
    lastNumber(output, /^\s*Tests:?\s+.*?(\d+)\s+failed/gm) ??
    lastNumber(output, /^\s*(\d+)\s+failing\b/gm);
  return { passed, failed: failed ?? (passed === null ? null : 0) };
};
