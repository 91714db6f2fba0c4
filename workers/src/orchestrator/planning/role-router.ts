import { type AgentRole, isAgentRole } from '@ai-org/core';
import type { LlmProvider } from '../../llm';
import { isLlmError } from '../../llm';
import { PlanningPrompts } from './planning-prompts';

/**
 * Words (regex fragments, matched as whole words) that point at a role. Each distinct word that
 * matches scores one point; dev has words too, so "Design the database schema" goes to dev
 * (database, schema) rather than ux_ui (design).
 */
const keywords: Readonly<Record<AgentRole, readonly string[]>> = {
  qa: [
    'tests?',
    'testing',
    'tested',
    'testable',
    'e2e',
    'end[- ]to[- ]end',
    'regressions?',
    'verif(?:y|ies|ication)',
    'qa',
    'acceptance',
    'coverage',
    'fuzz\\w*',
    'smoke',
  ],
  ux_ui: [
    'ui',
    'ux',
    'design\\w*',
    'wireframes?',
    'mock-?ups?',
    'screens?',
    'css',
    'layouts?',
    'styl(?:e|es|ing)',
    'accessib\\w*',
    'a11y',
    'user flows?',
    'usability',
    'onboarding',
    'help text',
    'user guide',
    'usage docs?',
    'typography',
    'responsive',
  ],
  telemetry: [
    'metrics?',
    'monitor\\w*',
    'dashboards?',
    'alert\\w*',
    'telemetry',
    'logs?',
    'logging',
    'traces?',
    'tracing',
    'observab\\w*',
    'instrument\\w*',
    'analytics',
    'slos?',
  ],
  dev: [
    'implement\\w*',
    'code',
    'coding',
    'refactor\\w*',
    'apis?',
    'endpoints?',
    'database',
    'schema',
    'migrations?',
    'pars(?:e|er|ing)',
    'backend',
    'server',
    'bug',
    'fix',
    'build',
    'integrat\\w*',
    'algorithm',
    'quer(?:y|ies)',
    'packag(?:e|ing)',
  ],
};

/** One case-insensitive whole-word pattern per role. */
const keywordTable: readonly (readonly [AgentRole, RegExp])[] = (['qa', 'ux_ui', 'telemetry', 'dev'] as const).map(
  (role) => [role, new RegExp(`\\b(?:${keywords[role].join('|')})\\b`, 'gi')] as const,
);

interface Score {
  readonly role: AgentRole;
  readonly points: number;
  readonly first: number;
}

const scoreOf = (role: AgentRole, pattern: RegExp, text: string): Score => {
  const matches = [...text.matchAll(pattern)];
  const words = new Set(matches.map((match) => match[0].toLowerCase()));
  return { role, points: words.size, first: matches[0]?.index ?? Number.POSITIVE_INFINITY };
};

/**
 * The role a task's words point at: most distinct keywords wins, a tie goes to the role mentioned
 * first ("Test the login screen" → qa). No keyword at all: the hint when it is a role, else dev.
 */
export const keywordRole = (description: string, hint?: string): AgentRole => {
  let best: Score | undefined;
  for (const [role, pattern] of keywordTable) {
    const score = scoreOf(role, pattern, description);
    if (score.points === 0) continue;
    if (!best || score.points > best.points || (score.points === best.points && score.first < best.first)) best = score;
  }
  if (best) return best.role;
  const normalised = hint?.trim().toLowerCase();
  return isAgentRole(normalised) ? normalised : 'dev';
};

/** "UX/UI." → "ux_ui", " QA\n" → "qa"; anything else is not a role. */
const roleOfAnswer = (answer: string): AgentRole | undefined => {
  const word = answer
    .trim()
    .toLowerCase()
    .replace(/^[^a-z]+|[^a-z]+$/g, '')
    .replace(/^ux[\s/-]?ui$/, 'ux_ui');
  return isAgentRole(word) ? word : undefined;
};

export interface RoutedRole {
  readonly role: AgentRole;
  readonly routedBy: 'llm' | 'keywords';
  readonly tokensUsed: number;
}

export interface RoleRouterOptions {
  readonly llm: LlmProvider;
}

/** Enough for "telemetry" or "ux_ui" and a stray full stop, nothing more. */
const routerMaxTokens = 5;

/**
 * Which agent role does a task: one tiny LLM call when a model is configured, the keyword table
 * otherwise or whenever the model's answer is not exactly a role. The offline provider is never
 * asked, so `routedBy: 'llm'` always means a model chose.
 */
export class RoleRouter {
  private readonly llm: LlmProvider;
  private readonly prompts = new PlanningPrompts();

  constructor(options: RoleRouterOptions) {
    this.llm = options.llm;
  }

  /** Whether `route` asks a model (and so costs tokens); with the offline provider it never does. */
  get usesModel(): boolean {
    return this.llm.name !== 'offline';
  }

  async route(
    task: { description: string; roleHint?: string },
    signal?: AbortSignal,
    options: { readonly keywordsOnly?: boolean } = {},
  ): Promise<RoutedRole> {
    const byKeywords = (tokensUsed: number): RoutedRole => ({
      role: keywordRole(task.description, task.roleHint),
      routedBy: 'keywords',
      tokensUsed,
    });
    if (!this.usesModel || options.keywordsOnly) return byKeywords(0);
    try {
      const completion = await this.llm.complete({
        messages: this.prompts.router(task.description, task.roleHint),
        maxTokens: routerMaxTokens,
        signal,
      });
      const tokensUsed = completion.promptTokens + completion.completionTokens;
      const role = roleOfAnswer(completion.text);
      return role ? { role, routedBy: 'llm', tokensUsed } : byKeywords(tokensUsed);
    } catch (error) {
      if (isLlmError(error)) return byKeywords(0);
      throw error;
    }
  }
}
