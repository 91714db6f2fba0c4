import { describe, expect, it } from 'vitest';
import {
  type Completion,
  type CompletionRequest,
  LlmPermanentError,
  type LlmProvider,
  LlmRateLimitedError,
  LlmTransientError,
} from '../../llm';
import { validPlanJson } from './plan.fixture';
import { Planner } from './planner';

type Step = string | Error | { text: string; finishReason: string };

/** Answers the calls in order with the given texts (or errors); 100 prompt + 10 completion tokens each. */
const scriptedLlm = (...steps: Step[]): LlmProvider & { requests: CompletionRequest[] } => {
  const requests: CompletionRequest[] = [];
  return {
    name: 'openai',
    model: 'scripted',
    requests,
    complete: async (request): Promise<Completion> => {
      requests.push(request);
      const step = steps.shift() ?? 'nothing left';
      if (step instanceof Error) throw step;
      const { text, finishReason } = typeof step === 'string' ? { text: step, finishReason: 'stop' } : step;
      return {
        text,
        finishReason,
        promptTokens: 100,
        completionTokens: 10,
        tokenSource: 'usage',
        provider: 'openai',
        model: 'm1',
      };
    },
  };
};

const planner = (llm: LlmProvider) => new Planner({ llm, maxTokensPerCall: 4_000 });

describe('Planner', () => {
  it('plans with an architect call then a planner call, passing the outline on', async () => {
    const llm = scriptedLlm('## Components\n- parser', validPlanJson());
    const outcome = await planner(llm).plan('  a CSV to JSON converter ');
    expect(outcome).toMatchObject({
      ok: true,
      architecture: '## Components\n- parser',
      tokensUsed: 220,
      provider: 'openai',
      model: 'm1',
    });
    expect(llm.requests.map((request) => request.messages[0]?.content)).toEqual([
      expect.stringContaining('software architect agent (architect)'),
      expect.stringContaining('planner agent (planner)'),
    ]);
    expect(llm.requests[1]?.messages[1]?.content).toMatch(/^Goal: a CSV to JSON converter\n[\s\S]*- parser/);
    expect(llm.requests.every((request) => request.maxTokens === 4_000)).toBe(true);
  });

  it('tells the repair call that the answer was cut off at the token limit', async () => {
    const llm = scriptedLlm('outline', { text: '{"tasks":[{"key":"a"', finishReason: 'length' }, validPlanJson());
    expect((await planner(llm).plan('goal')).ok).toBe(true);
    expect(llm.requests[2]?.messages[1]?.content).toContain('cut off at the 10-token limit');
  });

  it.each([
    ['rate limit', new LlmRateLimitedError('429 slow down', 2_000), true],
    ['transient failure', new LlmTransientError('502 bad gateway'), true],
    ['permanent failure', new LlmPermanentError('401 bad key', 401), false],
  ])(
    'returns a %s as a failure, retryable as its kind says, with the tokens spent so far',
    async (_, error, retryable) => {
      const outcome = await planner(scriptedLlm('outline', error)).plan('goal');
      expect(outcome).toEqual({
        ok: false,
        reason: `planning failed: ${error.message}`,
        tokensUsed: 110,
        retryable,
        cause: error,
      });
    },
  );

  it('rethrows what is not an LLM error (a bug, not a model problem)', async () => {
    await expect(planner(scriptedLlm(new TypeError('oops'))).plan('goal')).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses an empty goal without calling the model', async () => {
    const llm = scriptedLlm();
    expect(await planner(llm).plan('  ')).toMatchObject({ ok: false, tokensUsed: 0, retryable: false });
    expect(llm.requests).toHaveLength(0);
  });
});
