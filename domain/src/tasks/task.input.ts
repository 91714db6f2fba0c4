import { tenantIdPattern } from '@ai-org/core';
import { creatableStatuses, taskIdPattern, taskStatuses } from '@ai-org/schema';
import { z } from 'zod';
import { plainText } from '../text/plain-text';

export const maxDescriptionLength = 10_000;
export const maxDependenciesPerTask = 100;
export const maxPlanSize = 2_000;
/** Business value is a relative score; far above any real one, small enough that sums stay finite. */
export const maxBusinessValue = 1_000_000;
/** Planned tokens, in thousands: a billion tokens, far above any real task. */
export const maxTokensPlan = 1_000_000;
export const maxOwnerLength = 64;
export const maxPlanKeyLength = 64;

/** 0..max; zod 4's z.number() already refuses NaN and ±Infinity. */
const boundedNumber = (max: number) =>
  z
    .number()
    .min(0, 'must be ≥ 0')
    .max(max, `must be ≤ ${max.toLocaleString('en-US')}`);

/** A plan key, an edge end: one line of plain text. */
const planKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(maxPlanKeyLength, `must be at most ${maxPlanKeyLength} characters`)
  .superRefine(plainText());

/** Quoted with escapes, cut short: safe to put in a message. */
const quote = (text: string): string => JSON.stringify(text.slice(0, maxPlanKeyLength));

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
    .max(maxDescriptionLength, `must be at most ${maxDescriptionLength} characters`)
    .superRefine(plainText({ multiline: true })),
  businessValue: boundedNumber(maxBusinessValue).default(1),
  tokensPlan: boundedNumber(maxTokensPlan).default(0),
  purposeRelevance: z.number().finite().min(0).max(1).default(0.5),
  owner: z
    .string()
    .trim()
    .min(1)
    .max(maxOwnerLength)
    .superRefine(plainText())
    .nullish()
    .transform((owner) => owner ?? null),
  /** Only statuses that need no claim, reservation or job: dispatch and workers set the others. */
  status: z
    .enum(creatableStatuses, {
      error: `must be one of ${creatableStatuses.join(', ')}: queued, doing and waiting_budget are set by dispatch`,
    })
    .default('todo'),
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
          key: planKeySchema,
          /** Who chose the owner role (the orchestrator's router); absent for hand-made plans. */
          routedBy: z.enum(['llm', 'keywords']).optional(),
        }),
      )
      .min(1)
      .max(maxPlanSize),
    dependencies: z
      .array(z.object({ from: planKeySchema, to: planKeySchema }))
      .max(maxPlanSize * 4)
      .default([]),
  })
  .superRefine((plan, ctx) => {
    // A Set, never an object: a key such as "constructor" or "__proto__" is just a key.
    const seen = new Set<string>();
    plan.tasks.forEach((task, index) => {
      if (seen.has(task.key))
        ctx.addIssue({ code: 'custom', path: ['tasks', index, 'key'], message: `duplicate key ${quote(task.key)}` });
      seen.add(task.key);
    });
    plan.dependencies.forEach((edge, index) => {
      if (!seen.has(edge.from))
        ctx.addIssue({
          code: 'custom',
          path: ['dependencies', index, 'from'],
          message: `unknown task key ${quote(edge.from)}`,
        });
      if (!seen.has(edge.to) && !taskIdPattern.test(edge.to))
        ctx.addIssue({
          code: 'custom',
          path: ['dependencies', index, 'to'],
          message: `${quote(edge.to)} is neither a task key of the plan nor a task id`,
        });
    });
  });
export type PlanInput = z.input<typeof planSchema>;
export type Plan = z.output<typeof planSchema>;
