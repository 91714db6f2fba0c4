import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse-plan';
import { validPlanJson } from './plan.fixture';

describe('parsePlan', () => {
  it('reads a bare JSON plan', () => {
    const result = parsePlan(validPlanJson());
    expect(result.ok).toBe(true);
    expect(result.ok && result.plan.tasks.map((task) => task.key)).toEqual([
      'design-cli',
      'parse-csv',
      'unit-tests',
      'metrics',
    ]);
  });

  it('reads the plan out of a ```json fence, ignoring braces in the prose around it', () => {
    const text = `Here is the plan {as asked}:\n\`\`\`json\n${validPlanJson()}\n\`\`\`\nHope it helps {really}.`;
    expect(parsePlan(text).ok).toBe(true);
  });

  it('reads the outermost {...} when prose surrounds an unfenced plan', () => {
    expect(parsePlan(`Sure! The plan:\n${validPlanJson()}\nLet me know.`).ok).toBe(true);
    expect(parsePlan(`[offline provider: generated without a language model]\n${validPlanJson()}\n`).ok).toBe(true);
  });

  it('says "not JSON" when there is no object or it does not parse', () => {
    expect(parsePlan('I cannot plan this.')).toEqual({
      ok: false,
      problems: ['not JSON: the answer contains no {...} object'],
    });
    const broken = parsePlan('{"tasks": [ {"key": "a", } ]');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.problems[0]).toMatch(/^not JSON: /);
  });

  it('passes on the validation problems of a parsed plan', () => {
    const plan = JSON.parse(validPlanJson()) as { dependencies: { from: string; to: string }[] };
    plan.dependencies.push({ from: 'design-cli', to: 'metrics' });
    expect(parsePlan(JSON.stringify(plan))).toEqual({
      ok: false,
      problems: ['dependencies form a cycle: parse-csv -> design-cli -> metrics -> parse-csv'],
    });
  });
});
