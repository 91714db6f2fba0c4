import { type AgentRole, truncateToTokens } from '@ai-org/core';
import type { DependencyOutput, GoalContext, TaskRecord } from '@ai-org/schema';
import type { ChatMessage } from '../../llm';
import { truncationNote } from '../agent-prompts';
import { loadTemplate, renderTemplate } from '../prompt-templates';

const roleTitles: Record<AgentRole, string> = {
  dev: 'developer',
  ux_ui: 'UX/UI designer',
  qa: 'QA engineer',
  telemetry: 'telemetry engineer',
};

const systemTemplate = loadTemplate('agent-loop');
const taskTemplate = loadTemplate('agent-task');

const cut = (text: string | null, maxTokens: number): string => {
  if (text === null || text === '') return '';
  const { text: kept, truncated } = truncateToTokens(text, maxTokens);
  return truncated ? `${kept}\n${truncationNote}` : kept;
};

export interface LoopPromptInput {
  readonly role: AgentRole;
  readonly writable: boolean;
  readonly task: TaskRecord;
  readonly goal: GoalContext;
  readonly inputs: readonly DependencyOutput[];
  /** Tokens the outline and the dependencies' summaries may take together. */
  readonly contextTokens: number;
}

/**
 * The opening of a tool-using agent's conversation: who it is and what its tools do, then its task,
 * goal, role and workspace (four fixed lines), the architect's outline and what its dependencies did,
 * the outline and each summary cut to fair shares of `contextTokens`.
 */
export const loopMessages = (input: LoopPromptInput): ChatMessage[] => {
  const { role, writable, task, goal, inputs } = input;
  const share = Math.max(32, Math.floor(input.contextTokens / (1 + inputs.length)));
  return [
    { role: 'system', content: renderTemplate(systemTemplate, { role, roleTitle: roleTitles[role], writable }) },
    {
      role: 'user',
      content: renderTemplate(taskTemplate, {
        task,
        goal: goal.text.replace(/\s+/g, ' '),
        role,
        workspace: writable ? `branch task/${task.id} (writable)` : 'main (read-only)',
        architecture: cut(goal.architecture, share),
        inputs: inputs.map((dependency) => ({ ...dependency, summary: cut(dependency.artifact, share) })),
      }),
    },
  ];
};
