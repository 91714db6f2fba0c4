import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ToolCall } from '../llm-provider';
import { OfflineProvider } from '../offline.provider';
import { offlineDeliverable } from '../offline-deliverable';
import { projectFiles } from './project-shapes';
import {
  copyDir,
  type DrivenTask,
  driveTask,
  filesIn,
  removeDir,
  runNodeTests,
  type TaskSpec,
  tempDir,
  writeFiles,
} from './workspace-driver.test-support';

interface PlanTask {
  readonly key: string;
  readonly description: string;
  readonly role: string;
}
interface Plan {
  readonly tasks: readonly PlanTask[];
  readonly dependencies: readonly { readonly from: string; readonly to: string }[];
}

/** The offline planner's plan for the goal, as the orchestrator receives it. */
const offlinePlan = (goal: string): Plan => {
  const text = offlineDeliverable([
    { role: 'system', content: 'You are the planner.' },
    { role: 'user', content: `Goal: ${goal}` },
  ]);
  return JSON.parse(text.slice(text.indexOf('{'))) as Plan;
};

/** The plan's tasks in waves: each wave's tasks depend only on earlier waves, and start from the same main. */
const wavesOf = (plan: Plan): PlanTask[][] => {
  const done = new Set<string>();
  const waves: PlanTask[][] = [];
  while (done.size < plan.tasks.length) {
    const wave = plan.tasks.filter(
      (task) =>
        !done.has(task.key) &&
        plan.dependencies.filter((edge) => edge.from === task.key).every((edge) => done.has(edge.to)),
    );
    if (wave.length === 0) throw new Error('the plan has a cycle');
    for (const task of wave) done.add(task.key);
    waves.push(wave);
  }
  return waves;
};

/**
 * A naive merge: the branch's files that differ from the base it started from are copied onto main;
 * a file main changed since that base to other bytes is a conflict.
 */
const merge = (base: string, branch: string, main: string): string[] => {
  const read = (dir: string, path: string) =>
    existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : null;
  const conflicts: string[] = [];
  const changed = new Map<string, string>();
  for (const path of filesIn(branch)) {
    const ours = read(branch, path) ?? '';
    if (ours === read(base, path)) continue;
    const theirs = read(main, path);
    if (theirs !== read(base, path) && theirs !== ours) conflicts.push(path);
    changed.set(path, ours);
  }
  writeFiles(main, changed);
  return conflicts;
};

const dirs: string[] = [];
const dir = (name: string): string => {
  const made = tempDir(`offline-plan-${name}`);
  dirs.push(made);
  return made;
};
afterAll(() => {
  for (const made of dirs) removeDir(made);
});

describe('the offline plan, built by the offline engineer', () => {
  it.each([
    ['a CLI that converts CSV to JSON', 'csv-to-json-cli'],
    ['a library of string utilities', 'library'],
    ['a slugify module for blog titles', 'library'],
  ] as const)(
    'for %j ends with the whole %s project, its tests passing, every merge clean and green, every task within 12 steps',
    async (goal, shape) => {
      const plan = offlinePlan(goal);
      const provider = new OfflineProvider();
      const main = dir('main');
      const driven = new Map<string, DrivenTask>();
      const writes = new Map<string, Set<string>>();

      for (const wave of wavesOf(plan)) {
        const base = dir('base');
        copyDir(main, base);
        for (const task of wave) {
          const writable = task.role === 'dev' || task.role === 'ux_ui';
          const spec: TaskSpec = { id: task.key.padEnd(8, '0').slice(0, 8), goal, writable, ...task };
          const branch = writable ? dir(task.key) : main;
          if (writable) copyDir(base, branch);
          const result = await driveTask((request) => provider.step(request), spec, branch);
          driven.set(task.key, result);
          for (const call of result.calls.filter((made: ToolCall) => made.name === 'write_file')) {
            const { path, content } = JSON.parse(call.arguments) as { path: string; content: string };
            writes.set(path, (writes.get(path) ?? new Set()).add(content));
          }
          if (!writable) continue;
          expect(merge(base, branch, main), `conflicts merging ${task.key}`).toEqual([]);
          const gate = runNodeTests(main);
          expect(gate.exitCode, `tests after merging ${task.key}\n${gate.output}`).toBe(0);
        }
      }

      for (const [key, result] of driven) {
        expect(result.steps, key).toBeLessThanOrEqual(12);
        expect(result.summary, key).toBeDefined();
        const keys = result.calls.map((call) => `${call.name} ${call.arguments}`);
        expect(new Set(keys).size, `${key} repeated a call`).toBe(keys.length);
        const role = plan.tasks.find((task) => task.key === key)?.role;
        if (role === 'qa' || role === 'telemetry') {
          expect(result.calls.some((call) => call.name === 'write_file' || call.name === 'apply_patch')).toBe(false);
        }
      }
      expect([...writes].filter(([, contents]) => contents.size > 1).map(([path]) => path)).toEqual([]);
      expect(filesIn(main)).toEqual([...projectFiles(shape, goal).keys()].sort());
      const final = runNodeTests(main);
      expect(final.exitCode, final.output).toBe(0);
      expect(final.output).toMatch(/^# fail 0$/m);
    },
    180_000,
  );
});
