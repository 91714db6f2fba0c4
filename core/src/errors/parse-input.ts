import type { z } from 'zod';
import { badInput } from './app-error';

/** Validates caller input; on failure throws BAD_USER_INPUT listing every problem by field path. */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what = 'input'): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
  throw badInput(`Invalid ${what}: ${summary}`, { problems });
};
