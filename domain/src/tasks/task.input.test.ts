import { describe, expect, it } from 'vitest';
import { maxDescriptionLength, newTaskSchema, planSchema } from './task.input';

describe('newTaskSchema', () => {
  it('fills defaults and trims the description', () => {
    expect(newTaskSchema.parse({ description: '  Build it ' })).toEqual({
      description: 'Build it',
      businessValue: 1,
      tokensPlan: 0,
      purposeRelevance: 0.5,
      owner: null,
      status: 'todo',
      dependsOn: [],
    });
  });

  it.each([
    ['an empty description', { description: ' ' }],
    ['a description over the limit', { description: 'x'.repeat(maxDescriptionLength + 1) }],
    ['an infinite business value', { description: 'd', businessValue: Number.POSITIVE_INFINITY }],
    ['NaN planned tokens', { description: 'd', tokensPlan: Number.NaN }],
    ['a relevance over 1', { description: 'd', purposeRelevance: 1.01 }],
    ['an unknown status', { description: 'd', status: 'paused' }],
    ['a short dependency id', { description: 'd', dependsOn: ['abc'] }],
  ])('refuses %s', (_name, input) => {
    expect(newTaskSchema.safeParse(input).success).toBe(false);
  });
});

describe('planSchema', () => {
  it('refuses duplicate keys and edges from unknown keys', () => {
    const result = planSchema.safeParse({
      tasks: [
        { key: 'a', description: 'a' },
        { key: 'a', description: 'again' },
      ],
      dependencies: [{ from: 'x', to: 'a' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['duplicate key "a"', 'unknown task key "x"']);
  });
});
