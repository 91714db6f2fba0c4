import { loadTemplate, type PromptTemplate, renderTemplate } from '../../agent/prompt-templates';
import type { ChatMessage } from '../../llm';

/**
 * Messages of the planning calls. The system prompt is the agents' own `prompts/system.mustache`, so
 * every call introduces itself the same way, and it names the role ("the planner agent (planner)"):
 * that is what the offline provider reads to choose its deliverable. Every user prompt starts with the
 * goal or the task on its first line, which the offline provider takes as the title.
 */

const callers = {
  architect: 'software architect',
  planner: 'planner',
  router: 'task router',
} as const;

type Caller = keyof typeof callers;

export class PlanningPrompts {
  private readonly system: PromptTemplate = loadTemplate('system');
  private readonly architectTemplate: PromptTemplate = loadTemplate('architect');
  private readonly plannerTemplate: PromptTemplate = loadTemplate('planner');
  private readonly repairTemplate: PromptTemplate = loadTemplate('planner-repair');
  private readonly routerTemplate: PromptTemplate = loadTemplate('router');

  architect(goal: string): ChatMessage[] {
    return this.messages('architect', renderTemplate(this.architectTemplate, { goal }));
  }

  planner(goal: string, architecture: string): ChatMessage[] {
    return this.messages('planner', renderTemplate(this.plannerTemplate, { goal, architecture }));
  }

  /** The repair call is a fresh conversation: it carries the rejected answer and what was wrong with it. */
  plannerRepair(goal: string, answer: string, problems: readonly string[]): ChatMessage[] {
    const view = { goal, answer, problems: problems.map((text) => ({ text })) };
    return this.messages('planner', renderTemplate(this.repairTemplate, view));
  }

  router(description: string, roleHint?: string): ChatMessage[] {
    const hint = roleHint?.trim() ? { role: roleHint.trim() } : null;
    return this.messages('router', renderTemplate(this.routerTemplate, { description, hint }));
  }

  private messages(caller: Caller, user: string): ChatMessage[] {
    return [
      { role: 'system', content: renderTemplate(this.system, { role: caller, roleTitle: callers[caller] }) },
      { role: 'user', content: user },
    ];
  }
}
