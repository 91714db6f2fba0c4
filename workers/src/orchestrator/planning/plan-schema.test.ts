import { describe, expect, it } from 'vitest';
import { validPlan } from './plan.fixture';
import { validatePlan } from './plan-schema';

const problemsOf = (value: unknown): string[] => {
  const result = validatePlan(value);
  if (result.ok) throw new Error('expected the plan to be invalid');
  return result.problems;
};

describe('validatePlan', () => {
  it('accepts a valid plan and trims its text', () => {
    const plan = validPlan();
    const first = plan.tasks[0];
    if (first) first.description = '  Design the CLI flags \n';
    const result = validatePlan(plan);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.plan.tasks[0]?.description).toBe('Design the CLI flags');
  });

  it('accepts a plan without dependencies and drops unknown fields', () => {
    const { tasks } = validPlan();
    const result = validatePlan({ tasks: tasks.map((task) => ({ ...task, note: 'extra' })) });
    expect(result).toMatchObject({ ok: true, plan: { dependencies: [] } });
    if (result.ok) expect(result.plan.tasks[0]).not.toHaveProperty('note');
  });

  it('keeps a repeated dependency once', () => {
    const plan = validPlan();
    plan.dependencies.push({ from: 'parse-csv', to: 'design-cli' });
    const result = validatePlan(plan);
    expect(result.ok && result.plan.dependencies).toHaveLength(3);
  });

  it('refuses a cycle and names it', () => {
    const plan = validPlan();
    plan.dependencies.push({ from: 'design-cli', to: 'unit-tests' });
    expect(problemsOf(plan)).toEqual(['dependencies form a cycle: parse-csv -> design-cli -> unit-tests -> parse-csv']);
  });

  it('refuses a dependency on an unknown key', () => {
    const plan = validPlan();
    plan.dependencies.push({ from: 'deploy', to: 'ghost' });
    expect(problemsOf(plan)).toEqual([
      'dependencies.3.from: unknown task key "deploy"',
      'dependencies.3.to: unknown task key "ghost"',
    ]);
  });

  it('refuses a task that depends on itself', () => {
    const plan = validPlan();
    plan.dependencies.push({ from: 'metrics', to: 'metrics' });
    expect(problemsOf(plan)).toEqual(['dependencies.3: task "metrics" cannot depend on itself']);
  });

  it('refuses an unknown role, listing the roles', () => {
    const plan = validPlan();
    Object.assign(plan.tasks[1] ?? {}, { role: 'backend' });
    expect(problemsOf(plan)).toEqual(['tasks.1.role: must be one of dev, ux_ui, qa, telemetry (got "backend")']);
  });

  it('refuses a negative business value', () => {
    const plan = validPlan();
    Object.assign(plan.tasks[2] ?? {}, { businessValue: -1 });
    expect(problemsOf(plan)).toEqual(['tasks.2.businessValue: must be ≥ 0']);
  });

  it('refuses a tokensPlan of 0 and one above 500 thousand', () => {
    const plan = validPlan();
    Object.assign(plan.tasks[0] ?? {}, { tokensPlan: 0 });
    Object.assign(plan.tasks[1] ?? {}, { tokensPlan: 501 });
    expect(problemsOf(plan)).toEqual([
      'tasks.0.tokensPlan: must be > 0 (thousands of tokens)',
      'tasks.1.tokensPlan: must be ≤ 500 (thousands of tokens)',
    ]);
  });

  it('refuses duplicate keys', () => {
    const plan = validPlan();
    Object.assign(plan.tasks[3] ?? {}, { key: 'parse-csv' });
    expect(problemsOf(plan)).toContain('tasks.3.key: duplicate key "parse-csv"');
  });

  it('lists every problem at once, graph problems included', () => {
    const plan = validPlan();
    Object.assign(plan.tasks[0] ?? {}, { purposeRelevance: 2, description: ' ' });
    plan.dependencies.push({ from: 'metrics', to: 'nowhere' });
    expect(problemsOf(plan)).toEqual([
      'tasks.0.description: must not be empty',
      'tasks.0.purposeRelevance: must be ≤ 1',
      'dependencies.3.to: unknown task key "nowhere"',
    ]);
  });

  it('refuses an empty plan, too many tasks and a value that is not a plan', () => {
    expect(problemsOf({ tasks: [] })).toEqual(['tasks: must list at least one task']);
    const many = Array.from({ length: 61 }, (_, i) => ({ ...validPlan().tasks[0], key: `t${i}` }));
    expect(problemsOf({ tasks: many })).toEqual(['tasks: must list at most 60 tasks']);
    expect(problemsOf([1, 2])).toEqual(['plan: Invalid input: expected object, received array']);
    expect(problemsOf({ tasks: [{ key: 'a' }] })).toContain(
      'tasks.0.businessValue: Invalid input: expected number, received undefined',
    );
  });
});
