import { countMessageTokens, countTokens } from '@ai-org/core';
import { describe, expect, it } from 'vitest';
import { LlmTransientError } from './llm-errors';
import type { ChatMessage } from './llm-provider';
import { OfflineProvider } from './offline.provider';
import { offlineLabel } from './offline-deliverable';

const request = (system: string, task: string, maxTokens = 1_000) => ({
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: task },
  ] satisfies ChatMessage[],
  maxTokens,
});

const provider = new OfflineProvider();

describe('OfflineProvider', () => {
  it('labels its text as generated without a language model, on the first line', async () => {
    const { text } = await provider.complete(request('You are the dev agent.', 'Add a login endpoint'));
    expect(text.split('\n')[0]).toBe(offlineLabel);
  });

  it('is deterministic', async () => {
    const first = await provider.complete(request('You are the qa agent.', 'Check the login endpoint'));
    const second = await new OfflineProvider().complete(request('You are the qa agent.', 'Check the login endpoint'));
    expect(second).toEqual(first);
  });

  it('writes the deliverable of the role the system prompt names', async () => {
    const dev = await provider.complete(request('You are the dev agent. The qa agent reviews you.', 'Add login'));
    expect(dev.text).toContain('Role: dev');
    expect(dev.text).toContain('## Code outline');
    expect(dev.text).toContain('export const addLogin');
    const qa = await provider.complete(request('Role: qa', 'Add login'));
    expect(qa.text).toContain('## Test cases');
    const planner = await provider.complete(request('You are the planner.', 'Add login'));
    expect(planner.text).toContain('"role":"dev"');
    const unknown = await provider.complete(request('Be helpful.', 'Add login'));
    expect(unknown.text).toContain('Role: generic');
  });

  it.each([
    ['developer', 'dev', '## Code outline'],
    ['UX/UI designer', 'ux_ui', '## States'],
    ['QA engineer', 'qa', '## Test cases'],
    ['telemetry engineer', 'telemetry', '`add_login_endpoint_total`'],
  ])('recognises the %s agent prompt (%s)', async (title, role, section) => {
    const system = `You are the ${title} agent (${role}) of an autonomous software team on the AI-Org platform.`;
    const { text } = await provider.complete(request(system, 'Task t1: Add login endpoint\n(business value 3)'));
    expect(text).toContain(`Role: ${role}\nTask t1: Add login endpoint\n`);
    expect(text).toContain(section);
  });

  it('keeps the architect deliverable as text, headed by the goal', async () => {
    const system = 'You are the software architect agent (architect) of an autonomous software team.';
    const { text } = await provider.complete(request(system, 'Goal: a CLI that converts CSV to JSON\n\nOutline it.'));
    expect(text).toContain('Role: architect\nGoal: a CLI that converts CSV to JSON\n');
    expect(text).toContain('- A module that owns "a CLI that converts CSV to JSON"');
    expect(text).not.toContain('{');
  });

  describe('planner deliverable', () => {
    const planner = 'You are the planner agent (planner) of an autonomous software team on the AI-Org platform.';
    const goal = 'Goal: a CLI that converts CSV to JSON\n\nArchitecture outline:\n...';

    /** The JSON after the label line. */
    const planOf = (text: string) => {
      const [label, ...rest] = text.split('\n');
      expect(label).toBe(offlineLabel);
      return JSON.parse(rest.join('\n')) as {
        tasks: { key: string; role: string; description: string }[];
        dependencies: { from: string; to: string }[];
      };
    };

    it('is the label line followed by a JSON plan over all four agent roles', async () => {
      const plan = planOf((await provider.complete(request(planner, goal, 4_000))).text);
      expect(plan.tasks.length).toBeGreaterThanOrEqual(8);
      expect(plan.tasks.length).toBeLessThanOrEqual(14);
      expect(new Set(plan.tasks.map((task) => task.role))).toEqual(new Set(['dev', 'ux_ui', 'qa', 'telemetry']));
      const keys = new Set(plan.tasks.map((task) => task.key));
      expect(keys.size).toBe(plan.tasks.length);
      for (const { from, to } of plan.dependencies) expect([keys.has(from), keys.has(to)]).toEqual([true, true]);
    });

    it("words the skeleton after the goal's conversion and interface", async () => {
      const plan = planOf((await provider.complete(request(planner, goal, 4_000))).text);
      const descriptions = plan.tasks.map((task) => task.description).join('\n');
      expect(descriptions).toContain('Design the command-line interface of "a CLI that converts CSV to JSON"');
      expect(descriptions).toContain('Parse the CSV input into rows');
      expect(descriptions).toContain('conversion of parsed CSV rows to JSON');
      expect(descriptions).toContain('Implement writing the JSON output to a file or to standard output');
      const web = planOf((await provider.complete(request(planner, 'Goal: a recipe sharing web app', 4_000))).text);
      expect(web.tasks.map((task) => task.key)).toContain('design-ui');
      expect(web.tasks.map((task) => task.key)).toContain('core-logic');
    });

    it('chains at least four dependencies deep', async () => {
      const plan = planOf((await provider.complete(request(planner, goal, 4_000))).text);
      const waitsFor = (key: string): string[] =>
        plan.dependencies.filter((edge) => edge.from === key).map((edge) => edge.to);
      const depth = (key: string): number => Math.max(0, ...waitsFor(key).map((to) => depth(to) + 1));
      expect(Math.max(...plan.tasks.map((task) => depth(task.key)))).toBeGreaterThanOrEqual(4);
    });

    it('answers a repair prompt for the same goal with the same plan', async () => {
      const first = await provider.complete(request(planner, goal, 4_000));
      const repair = await provider.complete(
        request(planner, 'Goal: a CLI that converts CSV to JSON\n\nrejected: …', 4_000),
      );
      expect(repair.text).toBe(first.text);
    });
  });

  it('takes the task from the last user message', async () => {
    const { text } = await provider.complete({
      messages: [
        { role: 'system', content: 'You are the ux_ui agent.' },
        { role: 'user', content: 'Earlier context' },
        { role: 'user', content: '\nDesign the signup form\nwith details' },
      ],
      maxTokens: 1_000,
    });
    expect(text).toContain('Task: Design the signup form\n');
    expect(text).not.toContain('Earlier context');
  });

  it('counts tokens with the tokenizer and stops when the text fits', async () => {
    const req = request('You are the telemetry agent.', 'Track signups');
    const completion = await provider.complete(req);
    expect(completion).toMatchObject({
      finishReason: 'stop',
      tokenSource: 'tokenizer',
      provider: 'offline',
      model: 'offline',
      promptTokens: countMessageTokens(req.messages),
      completionTokens: countTokens(completion.text),
    });
  });

  it('truncates at maxTokens and reports finishReason length', async () => {
    const completion = await provider.complete(request('You are the dev agent.', 'Add a login endpoint', 20));
    expect(completion.finishReason).toBe('length');
    expect(completion.completionTokens).toBe(countTokens(completion.text));
    expect(completion.completionTokens).toBeLessThanOrEqual(20);
    expect(completion.completionTokens).toBeGreaterThan(15);
    expect(completion.text.startsWith(`${offlineLabel}\n`)).toBe(true);
  });

  it('gives up with a transient error when the caller aborts', async () => {
    const slow = new OfflineProvider({ latencyMs: 10_000 });
    const controller = new AbortController();
    const pending = slow.complete({ ...request('dev', 'task'), signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(LlmTransientError);
  });
});
