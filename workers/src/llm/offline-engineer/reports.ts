import type { ProjectShape } from './project-shapes';

/** The summaries' text, without the offline label (the caller puts it in front). */
const lines = (...all: string[]): string => all.join('\n');

export const firstLine = (text: string | undefined): string => (text ?? '').split('\n')[0]?.trim() ?? '';

export const testLine = (result: string | undefined): string =>
  result === undefined ? 'tests not run' : `tests: ${firstLine(result)}`;

const passed = (result: string | undefined): boolean => /^exit 0\b/.test(firstLine(result));

export const devSummary = (written: readonly string[], tests: string | undefined): string =>
  lines(
    written.length > 0
      ? `Wrote ${written.length} file(s) from the offline project template: ${written.join(', ')}.`
      : 'Wrote nothing: the files this task is about were already written.',
    `${testLine(tests)}.`,
    tests === undefined || passed(tests)
      ? 'The files are fixed templates, not code written for this task by a model.'
      : 'The tests fail, and the offline provider cannot repair code: configure an LLM API key for a model to fix it.',
  );

export const docsSummary = (written: readonly string[]): string =>
  lines(`Wrote the user documentation from the offline project template: ${written.join(', ') || 'nothing new'}.`);

/** How many `it(` cases a test file holds, for the qa report. */
const casesIn = (content: string): number => content.match(/^\s*it\(/gm)?.length ?? 0;

export const qaSummary = (read: { path: string; content: string } | undefined, tests: string | undefined): string =>
  lines(
    `QA report on main: ${testLine(tests)}.`,
    read ? `${read.path} holds ${casesIn(read.content)} test case(s).` : 'No test file to read on main.',
    'No model reviewed the code: this report only runs the tests that are there.',
  );

const measures: Record<ProjectShape, readonly string[]> = {
  'csv-to-json-cli': [
    'csv2json_runs_total{outcome="ok|bad_input|missing_file|usage"}: one per run.',
    'csv2json_rows_converted_total and csv2json_run_duration_seconds (a histogram).',
    'One structured log line per run: {"event":"run","outcome","rows","durationMs"}, errors with their line.',
    'Alert: failed runs above 5% of runs over one hour; dashboard: runs by outcome, rows/s, p95 duration.',
  ],
  library: [
    'A library runs inside its callers: measure there, per function, calls_total{function,outcome} and',
    'duration_seconds; a test run per release (passed/failed) is the library’s own signal.',
    'Alert: a release whose tests fail; dashboard: calls by function, p95 duration.',
  ],
  scaffold: ['Nothing to measure yet: the project is a placeholder until a model builds the goal.'],
};

export const telemetrySummary = (
  shape: ProjectShape,
  read: { path: string; content: string } | undefined,
  tests: string | undefined,
): string =>
  lines(
    `Telemetry report (offline, nothing was instrumented: this role reads main only). ${testLine(tests)}.`,
    read ? `Read ${read.path} (${read.content.split('\n').length} lines). What to measure:` : 'What to measure:',
    ...measures[shape].map((line) => `- ${line}`),
  );

export const gateSummary = (round: number, tests: string | undefined): string =>
  lines(
    `Gate round ${round}: the merged project's tests failed; re-run: ${testLine(tests)}.`,
    'The offline provider writes fixed files and cannot repair code, so nothing was changed.',
    'Configure an LLM API key to have a model fix it.',
  );

export const stoppedSummary = (tool: string, result: string | undefined): string =>
  lines(
    `Stopped: ${tool} failed (${firstLine(result)}).`,
    'The offline provider does not retry or work around a refused call; the task is left as it is.',
  );
