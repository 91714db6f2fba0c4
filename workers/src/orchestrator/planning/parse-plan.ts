import { type PlanValidation, validatePlan } from './plan-schema';

/**
 * Models wrap JSON in prose or a ```json fence however firmly they are told not to, and the offline
 * provider puts its label line first: the plan is the outermost {...} of the fenced block when there
 * is one, else of the whole answer.
 */
const jsonCandidateOf = (text: string): string | undefined => {
  const fenced = /```(?:json)?[^\S\n]*\n([\s\S]*?)```/i.exec(text)?.[1];
  const source = fenced?.includes('{') ? fenced : text;
  const start = source.indexOf('{');
  const end = source.lastIndexOf('}');
  return start >= 0 && end > start ? source.slice(start, end + 1) : undefined;
};

/** The model's answer as a valid plan, or every reason it is not one. */
export const parsePlan = (text: string): PlanValidation => {
  const candidate = jsonCandidateOf(text);
  if (candidate === undefined) return { ok: false, problems: ['not JSON: the answer contains no {...} object'] };
  let value: unknown;
  try {
    value = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, problems: [`not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return validatePlan(value);
};
