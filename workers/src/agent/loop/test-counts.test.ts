import { describe, expect, it } from 'vitest';
import { parseTestCounts } from './test-counts';

describe('parseTestCounts', () => {
  it("reads node's test runner summary", () => {
    expect(parseTestCounts('# tests 4\n# suites 0\n# pass 3\n# fail 1\n')).toEqual({ passed: 3, failed: 1 });
  });

  it('reads vitest, jest and mocha summaries', () => {
    expect(parseTestCounts(' Tests  12 passed | 2 failed (14)')).toEqual({ passed: 12, failed: 2 });
    expect(parseTestCounts('Tests:       1 failed, 3 passed, 4 total')).toEqual({ passed: 3, failed: 1 });
    expect(parseTestCounts('  5 passing (20ms)\n  2 failing\n')).toEqual({ passed: 5, failed: 2 });
  });

  it('says nothing when the runner printed no summary', () => {
    expect(parseTestCounts('Error: Cannot find module')).toEqual({ passed: null, failed: null });
  });

  it('takes the last summary when several were printed', () => {
    expect(parseTestCounts('# pass 1\n# fail 0\n...\n# pass 5\n# fail 2\n')).toEqual({ passed: 5, failed: 2 });
  });
});
