import type { AgentRole } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import {
  type Completion,
  type CompletionRequest,
  type LlmProvider,
  LlmRateLimitedError,
  OfflineProvider,
} from '../../llm';
import { Planner } from './planner';
import { keywordRole, RoleRouter } from './role-router';

/** Answers every call with `answer` (or throws it), and remembers the requests. */
const stubLlm = (answer: string | Error): LlmProvider & { requests: CompletionRequest[] } => {
  const requests: CompletionRequest[] = [];
  return {
    name: 'openai',
    model: 'stub',
    requests,
    complete: async (request): Promise<Completion> => {
      requests.push(request);
      if (answer instanceof Error) throw answer;
      return {
        text: answer,
        promptTokens: 40,
        completionTokens: 2,
        finishReason: 'stop',
        tokenSource: 'usage',
        provider: 'openai',
        model: 'stub',
      };
    },
  };
};

describe('keywordRole', () => {
  it.each<[string, AgentRole]>([
    ['Write unit tests for the CSV parser', 'qa'],
    ['Add an end-to-end test of the signup flow', 'qa'],
    ['Verify the export against the regression suite', 'qa'],
    ['Run e2e checks on checkout', 'qa'],
    ['Test the login screen', 'qa'],
    ['Design the onboarding wireframes', 'ux_ui'],
    ['Fix the CSS layout of the header', 'ux_ui'],
    ['Improve accessibility of the settings screen', 'ux_ui'],
    ['Create the UI for the billing page', 'ux_ui'],
    ['Write the user guide and help text of every command', 'ux_ui'],
    ['Add request logging to the API', 'telemetry'],
    ['Build a dashboard of conversion metrics', 'telemetry'],
    ['Alert when the error rate exceeds 5%', 'telemetry'],
    ['Trace slow queries across services with telemetry', 'telemetry'],
    ['Monitor queue depth', 'telemetry'],
    ['Implement the login endpoint', 'dev'],
    ['Design the database schema and migrations', 'dev'],
    ['Parse CSV input into rows', 'dev'],
    ['Make the login work for returning customers', 'dev'],
  ])('%s → %s', (description, role) => {
    expect(keywordRole(description)).toBe(role);
  });

  it('does not take "login" or "catalog" for logging', () => {
    expect(keywordRole('Add a login form to the catalog')).toBe('dev');
  });

  it('falls back on a valid hint, and on dev otherwise, when no keyword matches', () => {
    expect(keywordRole('Make the login work for returning customers', 'qa')).toBe('qa');
    expect(keywordRole('Make the login work for returning customers', ' UX_UI ')).toBe('ux_ui');
    expect(keywordRole('Make the login work for returning customers', 'manager')).toBe('dev');
  });

  it('routes every task of the offline plan to the role the plan gave it', async () => {
    const outcome = await new Planner({ llm: new OfflineProvider(), maxTokensPerCall: 4_000 }).plan(
      'a CLI that converts CSV to JSON',
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    for (const task of outcome.plan.tasks)
      expect([task.key, keywordRole(task.description)]).toEqual([task.key, task.role]);
  });
});

describe('RoleRouter', () => {
  it('uses the keywords for the offline provider, without calling it', async () => {
    const routed = await new RoleRouter({ llm: new OfflineProvider() }).route({ description: 'Write unit tests' });
    expect(routed).toEqual({ role: 'qa', routedBy: 'keywords', tokensUsed: 0 });
  });

  it.each(['telemetry', ' QA.\n', 'UX/UI', '"dev"'])('takes the valid LLM answer %j', async (answer) => {
    const llm = stubLlm(answer);
    const routed = await new RoleRouter({ llm }).route({ description: 'Write unit tests', roleHint: 'qa' });
    expect(routed.routedBy).toBe('llm');
    expect(routed.tokensUsed).toBe(42);
    expect(routed.role).toBe(
      answer
        .toLowerCase()
        .replace(/[^a-z]/g, '')
        .replace('uxui', 'ux_ui'),
    );
    expect(llm.requests[0]?.maxTokens).toBe(5);
    expect(llm.requests[0]?.messages.at(-1)?.content).toContain('The planner suggested the role: qa');
  });

  it('falls back on the keywords when the answer is not exactly a role, still counting its tokens', async () => {
    const routed = await new RoleRouter({ llm: stubLlm('I think qa or dev') }).route({
      description: 'Monitor queue depth',
    });
    expect(routed).toEqual({ role: 'telemetry', routedBy: 'keywords', tokensUsed: 42 });
  });

  it('falls back on the keywords when the LLM fails', async () => {
    const llm = stubLlm(new LlmRateLimitedError('429 slow down', 1_000));
    const routed = await new RoleRouter({ llm }).route({ description: 'Design the settings screen' });
    expect(routed).toEqual({ role: 'ux_ui', routedBy: 'keywords', tokensUsed: 0 });
  });

  it('leaves the hint out of the prompt when there is none', async () => {
    const llm = stubLlm('dev');
    await new RoleRouter({ llm }).route({ description: 'Implement it' });
    expect(llm.requests[0]?.messages.at(-1)?.content).not.toContain('suggested');
    expect(llm.requests[0]?.messages[0]?.content).toContain('task router agent (router)');
  });
});
