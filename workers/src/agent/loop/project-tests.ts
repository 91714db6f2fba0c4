import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runInSandbox } from '../../sandbox/sandbox.runner';
import type { SandboxPolicy, SandboxRun } from '../../sandbox/sandbox-limits';
import { parseTestCounts, type TestCounts } from './test-counts';

/** A project's test run in the sandbox, with the counts its runner printed. */
export interface ProjectTestRun extends TestCounts {
  readonly command: string;
  readonly run: SandboxRun | null;
  /** stdout then stderr, bounded by the sandbox. */
  readonly output: string;
  readonly passedRun: boolean;
}

/**
 * npm inside the sandbox: no network (no update check, no audit), its cache and logs in the sandbox's
 * private /tmp, and node's own folder on the PATH.
 */
const npmEnv = {
  PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_cache: '/tmp/.npm',
  NODE_ENV: 'test',
};

const testScriptOf = async (dir: string): Promise<string | null> => {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, unknown>;
    };
    const script = manifest.scripts?.test;
    return typeof script === 'string' && script.trim() !== '' ? script : null;
  } catch {
    return null;
  }
};

/**
 * Runs the project's tests (`npm test`, the runner its package.json chose) in the sandbox. A project
 * without a test script fails: the gate merges nothing it cannot test.
 */
export const runProjectTests = async (dir: string, sandbox: SandboxPolicy): Promise<ProjectTestRun> => {
  const script = await testScriptOf(dir);
  if (script === null) {
    return {
      command: 'npm test',
      run: null,
      output: 'package.json has no "test" script: there is nothing to run, so nothing can pass.',
      passed: null,
      failed: null,
      passedRun: false,
    };
  }
  const run = await runInSandbox({
    workspaceDir: dir,
    command: ['npm', 'test'],
    limits: sandbox.limits,
    hide: sandbox.hide,
    env: npmEnv,
  });
  const output = [run.stdout, run.stderr].filter((part) => part !== '').join('\n');
  const limitNote = run.limitHit === null ? '' : `\n[stopped by the sandbox: ${run.limitHit} limit]`;
  const counts = parseTestCounts(output);
  return {
    command: `npm test (${script})`,
    run,
    output: `${output}${limitNote}${run.truncated ? '\n[output truncated]' : ''}`,
    ...counts,
    passedRun: run.exitCode === 0 && run.limitHit === null && (counts.failed ?? 0) === 0,
  };
};

/** The first line a tool result or a gate message starts with. */
export const testSummaryLine = (tests: ProjectTestRun): string =>
  `exit ${tests.run?.exitCode ?? 'none'}; passed ${tests.passed ?? '?'}; failed ${tests.failed ?? '?'}`;
