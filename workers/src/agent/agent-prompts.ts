import type { AgentRole } from '@ai-org/core';
import type { DependencyOutput, TaskRecord } from '@ai-org/schema';
import type { ChatMessage } from '../llm';
import { loadTemplate, type PromptTemplate, renderTemplate } from './prompt-templates';

const roleTitles = {
  dev: 'developer',
  ux_ui: 'UX/UI designer',
  qa: 'QA engineer',
  telemetry: 'telemetry engineer',
} as const satisfies Record<AgentRole, string>;

/** The role agents' prompts: `prompts/system.mustache` plus `prompts/<role>.mustache`, read once. */
export class AgentPrompts {
  private readonly system: PromptTemplate = loadTemplate('system');
  private readonly byRole = new Map<AgentRole, PromptTemplate>();

  messages(role: AgentRole, task: TaskRecord, inputs: readonly DependencyOutput[]): ChatMessage[] {
    let template = this.byRole.get(role);
    if (!template) {
      template = loadTemplate(role);
      this.byRole.set(role, template);
    }
    return [
      { role: 'system', content: renderTemplate(this.system, { role, roleTitle: roleTitles[role] }) },
      { role: 'user', content: renderTemplate(template, { task, inputs }) },
    ];
  }
}
