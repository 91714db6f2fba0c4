import { describe, expect, it } from 'vitest';
import { maxBusinessValue, maxDescriptionLength, maxTokensPlan, newTaskSchema, planSchema } from './task.input';

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

describe('number ranges', () => {
  it.each([
    ['a business value of 1e308', { businessValue: 1e308 }],
    ['a business value just above its maximum', { businessValue: maxBusinessValue + 1 }],
    ['planned tokens of 1e308', { tokensPlan: 1e308 }],
    ['planned tokens just above their maximum', { tokensPlan: maxTokensPlan + 0.5 }],
    ['a negative business value', { businessValue: -0.01 }],
  ])('refuses %s', (_name, numbers) => {
    expect(newTaskSchema.safeParse({ description: 'd', ...numbers }).success).toBe(false);
    expect(planSchema.safeParse({ tasks: [{ key: 'a', description: 'd', ...numbers }] }).success).toBe(false);
  });

  it('accepts both maxima and zero', () => {
    expect(
      newTaskSchema.parse({ description: 'd', businessValue: maxBusinessValue, tokensPlan: maxTokensPlan }),
    ).toMatchObject({ businessValue: 1_000_000, tokensPlan: 1_000_000 });
    expect(newTaskSchema.parse({ description: 'd', businessValue: 0, tokensPlan: 0 })).toMatchObject({
      businessValue: 0,
      tokensPlan: 0,
    });
  });
});

describe('text rules', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['an ESC sequence', '\u001b[31mred'],
    ['a carriage return', 'a\rb'],
    ['DEL', 'a\u007Fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'a\u202Eb'],
    ['a right-to-left isolate', 'a\u2067b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone high surrogate at the end', 'ab\uDBFF'],
    ['a lone low surrogate', 'a\uDC00b'],
  ])('refuses %s in a description, an owner, a plan key and an edge', (_name, text) => {
    expect(newTaskSchema.safeParse({ description: text }).success).toBe(false);
    expect(newTaskSchema.safeParse({ description: 'd', owner: text }).success).toBe(false);
    expect(planSchema.safeParse({ tasks: [{ key: text, description: 'd' }] }).success).toBe(false);
    expect(
      planSchema.safeParse({ tasks: [{ key: 'a', description: 'd' }], dependencies: [{ from: 'a', to: text }] })
        .success,
    ).toBe(false);
  });

  it('names the code point and its position, not the text', () => {
    const result = newTaskSchema.safeParse({ description: 'ab\u001b[31m' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'must not contain control characters other than newline and tab: U+001B at position 2',
    ]);
  });

  it('keeps newlines and tabs in a description, and emoji and right-to-left script as given', () => {
    const description = 'first\n\tsecond 👩‍💻 שלום';
    expect(newTaskSchema.parse({ description }).description).toBe(description);
  });

  it('refuses a newline or a tab in an owner and a plan key (one line each)', () => {
    expect(newTaskSchema.safeParse({ description: 'd', owner: 'de\nv' }).success).toBe(false);
    expect(planSchema.safeParse({ tasks: [{ key: 'a\tb', description: 'd' }] }).success).toBe(false);
  });
});

describe('plan keys', () => {
  const prototypeNames = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

  it.each(prototypeNames)('refuses an edge to "%s" when it is neither a key of the plan nor a task id', (name) => {
    const result = planSchema.safeParse({
      tasks: [{ key: 'a', description: 'a' }],
      dependencies: [{ from: 'a', to: name }],
    });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      `"${name}" is neither a task key of the plan nor a task id`,
    ]);
  });

  it.each(prototypeNames)('refuses an edge from "%s" when it is not a key of the plan', (name) => {
    const result = planSchema.safeParse({
      tasks: [{ key: 'a', description: 'a' }],
      dependencies: [{ from: name, to: 'a' }],
    });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([`unknown task key "${name}"`]);
  });

  it('accepts keys named like Object.prototype members, and an edge to an existing task id', () => {
    const plan = planSchema.parse({
      tasks: prototypeNames.map((key) => ({ key, description: key })),
      dependencies: [
        { from: 'constructor', to: '__proto__' },
        { from: '__proto__', to: 'toString' },
        { from: 'valueOf', to: 'k3v9x0aq' },
      ],
    });
    expect(plan.tasks.map((task) => task.key)).toEqual(prototypeNames);
    expect(plan.dependencies).toHaveLength(3);
  });
});

describe('the status a task is created in', () => {
  it.each(['todo', 'done', 'failed', 'blocked'])('accepts %s', (status) => {
    expect(newTaskSchema.parse({ description: 'd', status }).status).toBe(status);
    expect(planSchema.parse({ tasks: [{ key: 'a', description: 'd', status }] }).tasks[0]?.status).toBe(status);
  });

  it.each(['queued', 'doing', 'waiting_budget'])('refuses %s: only dispatch and workers set it', (status) => {
    const result = newTaskSchema.safeParse({ description: 'd', status });
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['status'], expect.stringContaining('queued, doing and waiting_budget are set by dispatch')],
    ]);
    expect(planSchema.safeParse({ tasks: [{ key: 'a', description: 'd', status }] }).success).toBe(false);
  });
});
