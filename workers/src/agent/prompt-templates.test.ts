import { readdirSync } from 'node:fs';
import { agentRoles } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { AgentPrompts } from './agent-prompts';
import { loadTemplate, usedVariables } from './prompt-templates';

const templates = readdirSync(new URL('../../../prompts/', import.meta.url))
  .filter((file) => file.endsWith('.mustache'))
  .map((file) => file.replace(/\.mustache$/, ''));

describe('prompt templates', () => {
  it.each(templates)('%s reads exactly the variables it declares', (name) => {
    const template = loadTemplate(name);
    expect(usedVariables(template).sort()).toEqual([...template.expects].sort());
  });

  it('has a template for every agent role', () => {
    expect(templates).toEqual(expect.arrayContaining([...agentRoles, 'system']));
  });

  it("renders a role prompt with the task and its dependencies' results, unescaped", () => {
    const task = { id: 'abcd1234', description: 'Build <Login> & "SSO"', businessValue: 5, purposeRelevance: 0.8 };
    const [system, user] = new AgentPrompts().messages('dev', task as never, [
      { taskId: 'efgh5678', description: 'Design it', artifact: 'the design' },
    ]);
    expect(system?.content).toContain('developer agent (dev)');
    expect(user?.content).toContain('Task abcd1234: Build <Login> & "SSO"');
    expect(user?.content).toContain('--- efgh5678: Design it\nthe design');
  });

  it('leaves the dependency section out when there are none', () => {
    const [, user] = new AgentPrompts().messages('qa', { id: 'x', description: 'd' } as never, []);
    expect(user?.content).not.toContain('Results of the tasks');
  });
});
