import { agentRoles, countMessageTokens, countTokens } from '@ai-org/core';
import type { DependencyOutput, GoalContext, TaskRecord } from '@ai-org/schema';
import { describe, expect, it } from 'vitest';
import { offlineDeliverable } from '../llm/offline-deliverable';
import { AgentPrompts, contextLeftOutNote, fairShares, promptTokenCap, truncationNote } from './agent-prompts';

const prompts = new AgentPrompts();

const task = (description = 'Build the CSV parser with quoting') =>
  ({ id: 'task0001', description, businessValue: 5, purposeRelevance: 0.8 }) as TaskRecord;

const goal: GoalContext = {
  id: 'goal0001',
  text: 'a CLI that converts CSV to JSON',
  architecture: 'A reader, a converter and a writer, wired by a small CLI.',
};

const input = (taskId: string, artifact: string): DependencyOutput => ({
  taskId,
  description: `Dependency ${taskId}`,
  artifact,
});

/** Deterministic text of roughly `words` words, varied enough that tokens do not merge away. */
const text = (seed: string, words: number) =>
  Array.from({ length: words }, (_, i) => `${seed}${(i * 7919) % 1000}`).join(' ');

const userOf = (messages: { role: string; content: string }[]) => messages.at(-1)?.content ?? '';

describe('role prompts with context', () => {
  it("gives the agent the goal, the architect's outline and its dependencies' results", () => {
    const messages = prompts.messages('dev', task(), [input('dep00001', 'the parser design')], { goal });
    const user = userOf(messages);
    expect(user).toContain('Task task0001: Build the CSV parser with quoting');
    expect(user).toContain(`The goal this task was planned from:\n${goal.text}`);
    expect(user).toContain(`The architecture outline of the plan:\n${goal.architecture}`);
    expect(user).toContain('--- dep00001: Dependency dep00001\nthe parser design');
    expect(user).not.toContain(truncationNote);
  });

  it('leaves the goal and outline sections out for a hand-made task', () => {
    const user = userOf(prompts.messages('qa', task(), [], { goal: null }));
    expect(user).not.toContain('The goal this task was planned from');
    expect(user).not.toContain('The architecture outline');
  });

  it('leaves the outline section out when the goal has none yet', () => {
    const user = userOf(prompts.messages('qa', task(), [], { goal: { ...goal, architecture: null } }));
    expect(user).toContain(goal.text);
    expect(user).not.toContain('The architecture outline');
  });

  it('changes nothing when the whole prompt fits the cap', () => {
    const inputs = [input('dep00001', 'short')];
    expect(prompts.messages('dev', task(), inputs, { goal, maxTokens: 100_000 })).toEqual(
      prompts.messages('dev', task(), inputs, { goal }),
    );
  });

  it('cuts an over-long outline and dependency results to the cap, each with the note, the task whole', () => {
    const big = { ...goal, architecture: text('outline', 6_000) };
    const inputs = [input('dep00001', text('first', 6_000)), input('dep00002', 'a short result')];
    const messages = prompts.messages('telemetry', task(), inputs, { goal: big, maxTokens: 1_500 });
    const user = userOf(messages);
    expect(countMessageTokens(messages)).toBeLessThanOrEqual(1_500);
    expect(user).toContain('Task task0001: Build the CSV parser with quoting');
    expect(user).toContain(goal.text);
    expect(user).toContain(`The architecture outline of the plan:\n${text('outline', 6_000).slice(0, 100)}`);
    expect(user).toContain(`--- dep00001: Dependency dep00001\n${text('first', 6_000).slice(0, 100)}`);
    // A short result is given whole: the long ones share what is left.
    expect(user).toContain('--- dep00002: Dependency dep00002\na short result');
    expect(user.split(truncationNote)).toHaveLength(3);
    // Fair: neither long text takes it all.
    const outlinePart = user.slice(user.indexOf('The architecture outline'), user.indexOf('Results of the tasks'));
    const firstPart = user.slice(user.indexOf('--- dep00001'), user.indexOf('--- dep00002'));
    expect(countTokens(outlinePart)).toBeGreaterThan(200);
    expect(countTokens(firstPart)).toBeGreaterThan(200);
  });

  it('never exceeds the cap and never drops the task, for many sizes of context and cap', () => {
    // A small property-style loop: seeded sizes, so a failure names a case that can be run again.
    let seed = 12;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (let run = 0; run < 80; run++) {
      const role = agentRoles[run % agentRoles.length] ?? 'dev';
      const cap = 230 + random(4_000);
      const size = [0, 5, 50, 400, 3_000][random(5)] ?? 0;
      const deps = random(6);
      const context = { ...goal, text: `${goal.text} ${text('goal', size / 10)}`, architecture: text('arch', size) };
      const inputs = Array.from({ length: deps }, (_, i) => input(`dep0000${i}`, text(`art${i}`, random(size + 1))));
      const messages = prompts.messages(role, task(), inputs, { goal: context, maxTokens: cap });
      const user = userOf(messages);
      const name = `run ${run}: ${role}, cap ${cap}, size ${size}, ${deps} dependencies`;
      expect(countMessageTokens(messages), name).toBeLessThanOrEqual(cap);
      expect(user.startsWith('Task task0001: Build the CSV parser with quoting\n'), name).toBe(true);
      const whole = prompts.messages(role, task(), inputs, { goal: context });
      if (countMessageTokens(whole) > cap) expect(user, name).toMatch(/to fit the job's token reservation\]/);
      else expect(messages, name).toEqual(whole);
    }
  });

  it('leaves the context out, saying so, when not even its notes fit; the task stays whole', () => {
    const inputs = Array.from({ length: 40 }, (_, i) => input(`dep${String(i).padStart(5, '0')}`, text('x', 50)));
    const messages = prompts.messages('dev', task(), inputs, { goal, maxTokens: 260 });
    const user = userOf(messages);
    expect(countMessageTokens(messages)).toBeLessThanOrEqual(260);
    expect(user).toContain(`Task task0001: Build the CSV parser with quoting\n${contextLeftOutNote}`);
    expect(user).not.toContain('Results of the tasks');
  });

  it("cuts the task's description, with the note, only when the task alone is over the cap", () => {
    const long = `Build the CSV parser: ${text('req', 3_000)}`;
    const messages = prompts.messages('dev', task(long), [input('dep00001', 'x')], { goal, maxTokens: 600 });
    const user = userOf(messages);
    expect(countMessageTokens(messages)).toBeLessThanOrEqual(600);
    expect(user.startsWith('Task task0001: Build the CSV parser: req0 ')).toBe(true);
    expect(user).toContain(truncationNote);
  });

  it('keeps the task as the first line, so the offline provider still names it', () => {
    const messages = prompts.messages('dev', task(), [input('dep00001', text('a', 5_000))], {
      goal: { ...goal, architecture: text('b', 5_000) },
      maxTokens: 800,
    });
    expect(offlineDeliverable(messages)).toContain('Build the CSV parser with quoting');
  });

  it('keeps at least half of a reservation for the answer', () => {
    expect(promptTokenCap(4_000)).toBe(2_000);
    expect(promptTokenCap(1_001)).toBe(500);
  });
});

describe('fair shares', () => {
  it('meets small demands whole and splits the rest equally, never over the pool', () => {
    expect(fairShares([10, 1_000, 1_000], 510)).toEqual([10, 250, 250]);
    expect(fairShares([5, 5], 100)).toEqual([5, 5]);
    expect(fairShares([100, 100], 0)).toEqual([0, 0]);
    for (let pool = 0; pool < 300; pool += 7) {
      const shares = fairShares([3, 90, 40, 200], pool);
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(pool);
    }
  });
});
