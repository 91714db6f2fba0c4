import { type AgentRole, countMessageTokens, countTokens, truncateToTokens } from '@ai-org/core';
import type { DependencyOutput, GoalContext, TaskRecord } from '@ai-org/schema';
import type { ChatMessage } from '../llm';
import { loadTemplate, type PromptTemplate, renderTemplate } from './prompt-templates';

const roleTitles = {
  dev: 'developer',
  ux_ui: 'UX/UI designer',
  qa: 'QA engineer',
  telemetry: 'telemetry engineer',
} as const satisfies Record<AgentRole, string>;

/** Ends every text cut short (or stands for one left out) so that the agent knows it is not whole. */
export const truncationNote = "[… truncated to fit the job's token reservation]";

/** Follows the task when its goal, outline and dependencies' results could not be given at all. */
export const contextLeftOutNote =
  "[… the goal, the plan's outline and the dependencies' results were left out to fit the job's token reservation]";

/** At least this share of a job's reservation is kept for the answer: the prompt may take the rest. */
export const answerShare = 0.5;

/** The most tokens a role job's prompt (framing included) may take out of its reservation. */
export const promptTokenCap = (reservedTokens: number): number => Math.floor(reservedTokens * (1 - answerShare));

/** A truncated text keeps at least this many tokens of the task's description, whatever the cap. */
const minDescriptionTokens = 16;
/** Rounds of "render, count, shrink by the excess" before the context is left out altogether. */
const fitRounds = 8;

export interface PromptContext {
  /** The goal the task was planned from, with the architect's outline; null for a hand-made task. */
  readonly goal?: GoalContext | null;
  /** The most prompt tokens the messages may take (see `promptTokenCap`); no limit without. */
  readonly maxTokens?: number;
}

interface View {
  readonly task: TaskRecord;
  readonly goal: string | null;
  readonly architecture: string | null;
  readonly inputs: readonly DependencyOutput[];
}

/** A context text the cap may cut: its whole text, its token count and what it costs at least. */
interface Field {
  readonly text: string;
  readonly tokens: number;
  /** The text when it is no longer than the note, else the note alone. */
  readonly least: number;
}

/**
 * The role agents' prompts: `prompts/system.mustache` plus `prompts/<role>.mustache`, read once. A
 * role job is given its task, the goal the task was planned from, the architect's outline and the
 * latest artifacts of its finished dependencies. Under a token cap the task stays whole; the goal comes
 * next, then the outline and the dependencies share what is left fairly (a short one whole, the long
 * ones cut to equal parts); each text cut short ends with `truncationNote`. When not even the notes
 * fit, the context is left out (noted after the task) and, past that, the task's description is cut.
 */
export class AgentPrompts {
  private readonly system: PromptTemplate = loadTemplate('system');
  private readonly byRole = new Map<AgentRole, PromptTemplate>();
  private readonly noteTokens = countTokens(truncationNote);

  messages(
    role: AgentRole,
    task: TaskRecord,
    inputs: readonly DependencyOutput[],
    context: PromptContext = {},
  ): ChatMessage[] {
    let template = this.byRole.get(role);
    if (!template) {
      template = loadTemplate(role);
      this.byRole.set(role, template);
    }
    const system: ChatMessage = {
      role: 'system',
      content: renderTemplate(this.system, { role, roleTitle: roleTitles[role] }),
    };
    const render = (view: View): ChatMessage[] => [system, { role: 'user', content: renderTemplate(template, view) }];
    const whole = render({
      task,
      goal: context.goal?.text ?? null,
      architecture: context.goal?.architecture ?? null,
      inputs,
    });
    const cap = context.maxTokens;
    if (cap === undefined || countMessageTokens(whole) <= cap) return whole;
    return this.fitContext(render, task, context.goal ?? null, inputs, cap) ?? this.fitTask(render, task, cap);
  }

  /** The task whole and the context cut to fit `cap`; null when not even the context's notes fit. */
  private fitContext(
    render: (view: View) => ChatMessage[],
    task: TaskRecord,
    goal: GoalContext | null,
    inputs: readonly DependencyOutput[],
    cap: number,
  ): ChatMessage[] | null {
    const field = (text: string | null): Field | null => {
      if (!text) return null;
      const tokens = countTokens(text);
      return { text, tokens, least: Math.min(tokens, this.noteTokens) };
    };
    const goalField = field(goal?.text ?? null);
    const outline = field(goal?.architecture ?? null);
    const dependencies = inputs.map((input) => ({
      description: field(input.description),
      artifact: field(input.artifact),
    }));
    // Goal first; then the outline and every dependency's description and artifact share what is left.
    const shared = [outline, ...dependencies.flatMap((d) => [d.description, d.artifact])];

    const viewWith = (budgetOf: (field: Field) => number): View => {
      const cut = (f: Field | null): string | null => (f ? this.cut(f, budgetOf(f)) : null);
      return {
        task,
        goal: cut(goalField),
        architecture: cut(outline),
        inputs: inputs.map((input, i) => ({
          ...input,
          description: cut(dependencies[i]?.description ?? null) ?? input.description,
          artifact: cut(dependencies[i]?.artifact ?? null),
        })),
      };
    };
    const least = countMessageTokens(render(viewWith((f) => f.least)));
    let pool = cap - least;
    for (let round = 0; pool >= 0 && round < fitRounds; round++) {
      const budgets = new Map<Field, number>();
      let left = pool;
      if (goalField) {
        const extra = Math.min(goalField.tokens - goalField.least, left);
        budgets.set(goalField, goalField.least + extra);
        left -= extra;
      }
      const present = shared.filter((f): f is Field => f !== null);
      const extras = fairShares(
        present.map((f) => f.tokens - f.least),
        left,
      );
      present.forEach((f, i) => {
        budgets.set(f, f.least + (extras[i] ?? 0));
      });
      const messages = render(viewWith((f) => budgets.get(f) ?? f.least));
      const over = countMessageTokens(messages) - cap;
      if (over <= 0) return messages;
      // Tokens do not add up exactly across the joins of the template: shrink by the excess, again.
      pool = pool === 0 ? -1 : Math.max(0, pool - over);
    }
    return null;
  }

  /** The context left out (said after the task); the task's description cut when even that is too long. */
  private fitTask(render: (view: View) => ChatMessage[], task: TaskRecord, cap: number): ChatMessage[] {
    const withDescription = (description: string): ChatMessage[] =>
      render({ task: { ...task, description }, goal: null, architecture: null, inputs: [] });
    // Only reached with context to leave out: a prompt of the task alone that is too long fits no note.
    const leftOut = withDescription(`${task.description}\n${contextLeftOutNote}`);
    if (countMessageTokens(leftOut) <= cap) return leftOut;
    let budget = cap - countMessageTokens(withDescription(truncationNote)) - 1;
    for (let round = 0; round < fitRounds; round++) {
      const kept = truncateToTokens(task.description, Math.max(minDescriptionTokens, budget)).text;
      const messages = withDescription(`${kept}\n${truncationNote}`);
      const over = countMessageTokens(messages) - cap;
      if (over <= 0 || budget <= minDescriptionTokens) return messages;
      budget -= over;
    }
    return withDescription(`${truncateToTokens(task.description, minDescriptionTokens).text}\n${truncationNote}`);
  }

  /** The field's text within `budget` tokens: whole, or its beginning and the note, or the note alone. */
  private cut(field: Field, budget: number): string {
    if (field.tokens <= budget) return field.text;
    const keep = budget - this.noteTokens - 1;
    if (keep < 1) return truncationNote;
    return `${truncateToTokens(field.text, keep).text}\n${truncationNote}`;
  }
}

/**
 * Max-min fair split of `pool` among `demands`: the smallest demands are met whole, the rest get equal
 * parts of what is left. Never more than `pool` in all, never more than a demand.
 */
export const fairShares = (demands: readonly number[], pool: number): number[] => {
  const shares = demands.map(() => 0);
  const order = demands.map((_, i) => i).sort((a, b) => (demands[a] ?? 0) - (demands[b] ?? 0));
  let left = Math.max(0, Math.floor(pool));
  order.forEach((index, position) => {
    const given = Math.min(demands[index] ?? 0, Math.floor(left / (order.length - position)));
    shares[index] = given;
    left -= given;
  });
  return shares;
};
