import { tenantIdPattern } from '@ai-org/core';
import { taskIdPattern, taskStatuses } from '@ai-org/schema';
import { z } from 'zod';

export const maxDescriptionLength = 10_000;
export const maxDependenciesPerTask = 100;
export const maxPlanSize = 2_000;

const finiteNonNegative = z.number().finite().nonnegative();

export const tenantIdSchema = z
  .string()
  .regex(tenantIdPattern, 'must be a tenant id: lowercase letters, digits, "-" or "_"');
export const taskIdSchema = z.string().regex(taskIdPattern, 'must be an 8-character task id');
export const taskStatusSchema = z.enum(taskStatuses);

/** What a caller may set when creating a task; defaults fill the rest. */
export const newTaskSchema = z.object({
  description: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxDescriptionLength, `must be at most ${maxDescriptionLength} characters`),
  businessValue: finiteNonNegative.default(1),
  tokensPlan: finiteNonNegative.default(0),
  purposeRelevance: z.number().finite().min(0).max(1).default(0.5),
  owner: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .nullish()
    .transform((owner) => owner ?? null),
  status: taskStatusSchema.default('todo'),
  dependsOn: z.array(taskIdSchema).max(maxDependenciesPerTask).default([]),
});
export type NewTaskInput = z.input<typeof newTaskSchema>;
export type NewTask = z.output<typeof newTaskSchema>;

/** A plan: tasks named by caller-chosen keys, and edges between those keys or existing task ids. */
export const planSchema = z
  .object({
    tasks: z
      .array(
        newTaskSchema.omit({ dependsOn: true }).extend({
          key: z.string().min(1).max(64),
          /** Who chose the owner role (the orchestrator's router); absent for hand-made plans. */
          routedBy: z.enum(['llm', 'keywords']).optional(),
        }),
      )
      .min(1)
      .max(maxPlanSize),
    dependencies: z
      .array(z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) }))
      .max(maxPlanSize * 4)
      .default([]),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.tasks.forEach((task, index) => {
      if (seen.has(task.key))
        ctx.addIssue({ code: 'custom', path: ['tasks', index, 'key'], message: `duplicate key "${task.key}"` });
      seen.add(task.key);
    });
    plan.dependencies.forEach((edge, index) => {
      if (!seen.has(edge.from))
        ctx.addIssue({
          code: 'custom',
          path: ['dependencies', index, 'from'],
          message: `unknown task key "${edge.from}"`,
        });
    });
  });
export type PlanInput = z.input<typeof planSchema>;
export type Plan = z.output<typeof planSchema>;
