import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplate, usedVariables } from '../agent/prompt-templates';
import type { ChatMessage } from './llm-provider';
import { offlineDeliverable, offlineLabel, offlineRoles } from './offline-deliverable';

const templates = readdirSync(new URL('../../../prompts/offline/', import.meta.url))
  .filter((file) => file.endsWith('.mustache'))
  .map((file) => file.replace(/\.mustache$/, ''));

/** A system prompt that names the role the way the real ones do. */
const messages = (role: string, task: string): ChatMessage[] => [
  { role: 'system', content: role === 'generic' ? 'Be helpful.' : `You are the ${role} agent (${role}).` },
  { role: 'user', content: task },
];

const textRoles = offlineRoles.filter((role) => role !== 'planner');

describe('offline deliverable templates', () => {
  it('has exactly one template per offline role', () => {
    expect(templates.sort()).toEqual([...offlineRoles].sort());
  });

  it.each(templates)('offline/%s reads exactly the variables it declares', (name) => {
    const template = loadTemplate(`offline/${name}`);
    expect(usedVariables(template).sort()).toEqual([...template.expects].sort());
  });

  it.each(offlineRoles)('%s: the label line, then a deliverable ending in one newline', (role) => {
    const text = offlineDeliverable(messages(role, 'Add a login endpoint'));
    expect(text.split('\n')[0]).toBe(offlineLabel);
    expect(text.split('\n')[1]).toBe(role === 'planner' ? '{"tasks":[' : `Role: ${role}`);
    expect(text).toMatch(/[^\n]\n$/);
    expect(text).not.toContain('{{');
  });

  it.each(textRoles)('%s: task text is copied as is, never read as Mustache', (role) => {
    const description = 'Fix {{#inputs}}{{x}}{{/inputs}} & <b>"it"</b> {{{raw}}} }}';
    const text = offlineDeliverable(messages(role, `Task t1: ${description}`));
    expect(text).toContain(`\nTask t1: ${description}\n`);
    // In the heading, and in the body too except for dev, whose body names a function after it.
    expect(text.split(description).length - 1).toBe(role === 'dev' ? 1 : 2);
  });

  it('writes valid JSON for a goal with quotes, backslashes, braces and control characters', () => {
    const from = '"C:\\in" {{csv}} <&>\u0001';
    const goal = `a CLI that converts ${from} to JSON`;
    const text = offlineDeliverable(messages('planner', `Goal: ${goal}`));
    const plan = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { tasks: { description: string }[] };
    expect(plan.tasks[0]?.description).toBe(
      `Design the command-line interface of "${goal}": commands, flags, help text and error messages.`,
    );
    expect(plan.tasks[1]?.description).toContain(`Parse the ${from} input into rows`);
  });
});
