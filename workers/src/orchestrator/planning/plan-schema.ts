import { agentRoles } from '@ai-org/core';
import { findCycle } from '@ai-org/domain';
import { z } from 'zod';

/**
 * The plan as the planner model writes it, before it becomes tasks. Stricter than the platform's
 * planSchema where a model tends to go wrong (unknown roles, zero estimates, dangling or circular
 * dependencies), because every problem found here can still be sent back to the model for one repair.
 */

export const maxModelPlanTasks = 60;
export const maxModelPlanDependencies = 600;
export const maxModelTaskDescriptionLength = 2_000;
/** Thousands of tokens: 500 is half a million, far above any single agent task. */
export const maxTokensPlan = 500;
export const maxBusinessValue = 1_000;

const roleList = agentRoles.join(', ');

const modelTaskSchema = z.object({
  key: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  description: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxModelTaskDescriptionLength, `must be at most ${maxModelTaskDescriptionLength} characters`),
  role: z.enum(agentRoles, { error: (issue) => `must be one of ${roleList} (got ${JSON.stringify(issue.input)})` }),
  // z.number() refuses NaN and ±Infinity in zod 4, so "finite" needs no extra check.
  businessValue: z.number().min(0, 'must be ≥ 0').max(maxBusinessValue, `must be ≤ ${maxBusinessValue}`),
  tokensPlan: z
    .number()
    .gt(0, 'must be > 0 (thousands of tokens)')
    .max(maxTokensPlan, `must be ≤ ${maxTokensPlan} (thousands of tokens)`),
  purposeRelevance: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1'),
});

const modelEdgeSchema = z.object({
  from: z.string().trim().min(1, 'must not be empty'),
  to: z.string().trim().min(1, 'must not be empty'),
});

/** Field by field; the graph checks (keys, references, cycles) are separate so they run even when fields fail. */
const modelPlanShape = z.object({
  tasks: z
    .array(modelTaskSchema)
    .min(1, 'must list at least one task')
    .max(maxModelPlanTasks, `must list at most ${maxModelPlanTasks} tasks`),
  dependencies: z
    .array(modelEdgeSchema)
    .max(maxModelPlanDependencies, `must list at most ${maxModelPlanDependencies} dependencies`)
    .default([]),
});

export type ModelPlan = z.output<typeof modelPlanShape>;
export type ModelTask = ModelPlan['tasks'][number];
/** `from` waits for `to`. */
export type ModelDependency = ModelPlan['dependencies'][number];

export type PlanValidation = { ok: true; plan: ModelPlan } | { ok: false; problems: string[] };

const describeIssue = (issue: z.core.$ZodIssue): string =>
  `${issue.path.map(String).join('.') || 'plan'}: ${issue.message}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const trimmedString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

interface LooseGraph {
  readonly keys: readonly (string | undefined)[];
  readonly edges: readonly { index: number; from: string | undefined; to: string | undefined }[];
}

/** Keys and edges read leniently from the raw value, so one bad number does not hide a cycle. */
const looseGraphOf = (value: unknown): LooseGraph => {
  if (!isRecord(value)) return { keys: [], edges: [] };
  const tasks = Array.isArray(value.tasks) ? value.tasks : [];
  const dependencies = Array.isArray(value.dependencies) ? value.dependencies : [];
  return {
    keys: tasks.map((task) => (isRecord(task) ? trimmedString(task.key) : undefined)),
    edges: dependencies.map((edge, index) =>
      isRecord(edge)
        ? { index, from: trimmedString(edge.from), to: trimmedString(edge.to) }
        : { index, from: undefined, to: undefined },
    ),
  };
};

const graphProblems = ({ keys, edges }: LooseGraph): string[] => {
  const problems: string[] = [];
  const known = new Set<string>();
  keys.forEach((key, index) => {
    if (key === undefined) return;
    if (known.has(key)) problems.push(`tasks.${index}.key: duplicate key "${key}"`);
    known.add(key);
  });
  const loopFree: { from: string; to: string }[] = [];
  for (const { index, from, to } of edges) {
    if (from !== undefined && !known.has(from)) problems.push(`dependencies.${index}.from: unknown task key "${from}"`);
    if (to !== undefined && !known.has(to)) problems.push(`dependencies.${index}.to: unknown task key "${to}"`);
    if (from === undefined || to === undefined) continue;
    if (from === to) problems.push(`dependencies.${index}: task "${from}" cannot depend on itself`);
    else loopFree.push({ from, to });
  }
  const cycle = findCycle(loopFree);
  if (cycle) problems.push(`dependencies form a cycle: ${cycle.join(' -> ')}`);
  return problems;
};

/** The same edge listed twice is harmless; keep it once. */
const withoutDuplicateEdges = (plan: ModelPlan): ModelPlan => {
  const seen = new Set<string>();
  const dependencies = plan.dependencies.filter(({ from, to }) => {
    const id = JSON.stringify([from, to]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { ...plan, dependencies };
};

/** Every problem of a parsed JSON value, as `path: message` lines a model can act on. */
export const validatePlan = (value: unknown): PlanValidation => {
  const parsed = modelPlanShape.safeParse(value);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
    ...graphProblems(looseGraphOf(value)),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: withoutDuplicateEdges(parsed.data) };
};
