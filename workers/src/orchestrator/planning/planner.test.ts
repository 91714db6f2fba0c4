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
import { Planner, type PlannerRetry } from './planner';

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

  describe('retrying rate-limited and transient calls', () => {
    /** Planner with retries whose waits are recorded instead of slept. */
    const retrying = (llm: LlmProvider, retry: Partial<PlannerRetry> = {}) => {
      const waits: number[] = [];
      const p = new Planner({
        llm,
        maxTokensPerCall: 4_000,
        retry: {
          attempts: 3,
          backoffMs: 1_000,
          tokenBudget: 40_000,
          maxWaitMs: 60_000,
          sleep: async (ms) => {
            waits.push(ms);
          },
          ...retry,
        },
      });
      return { planner: p, waits };
    };

    it('retries a 429 after its Retry-After and accepts the plan, counting only the calls that answered', async () => {
      const llm = scriptedLlm('outline', new LlmRateLimitedError('429 slow down', 7_000), validPlanJson());
      const { planner: p, waits } = retrying(llm);
      expect(await p.plan('goal')).toMatchObject({ ok: true, architecture: 'outline', tokensUsed: 220 });
      expect(waits).toEqual([7_000]);
      expect(llm.requests.map((request) => request.messages[0]?.content)).toEqual([
        expect.stringContaining('(architect)'),
        expect.stringContaining('(planner)'),
        expect.stringContaining('(planner)'),
      ]);
      expect(llm.requests[2]).toEqual(llm.requests[1]);
    });

    it('retries transient failures with exponential backoff from the base, within ±10 %', async () => {
      const llm = scriptedLlm(
        new LlmTransientError('502 bad gateway'),
        new LlmTransientError('503'),
        'outline',
        validPlanJson(),
      );
      const { planner: p, waits } = retrying(llm);
      expect((await p.plan('goal')).ok).toBe(true);
      expect(waits).toHaveLength(2);
      expect(waits[0]).toBeGreaterThanOrEqual(900);
      expect(waits[0]).toBeLessThanOrEqual(1_100);
      expect(waits[1]).toBeGreaterThanOrEqual(1_800);
      expect(waits[1]).toBeLessThanOrEqual(2_200);
    });

    it('fails at once on a permanent error', async () => {
      const error = new LlmPermanentError('401 bad key', 401);
      const llm = scriptedLlm('outline', error, validPlanJson());
      const { planner: p, waits } = retrying(llm);
      expect(await p.plan('goal')).toEqual({
        ok: false,
        reason: 'planning failed: 401 bad key',
        tokensUsed: 110,
        retryable: false,
        cause: error,
      });
      expect([waits, llm.requests.length]).toEqual([[], 2]);
    });

    it('gives up after the configured attempts, saying so', async () => {
      const llm = scriptedLlm('outline', ...[1, 2, 3].map((n) => new LlmTransientError(`503 number ${n}`)));
      const { planner: p, waits } = retrying(llm);
      expect(await p.plan('goal')).toMatchObject({
        ok: false,
        reason: 'planning failed: gave up after 3 attempts: 503 number 3',
        tokensUsed: 110,
        retryable: true,
      });
      expect([waits.length, llm.requests.length]).toEqual([2, 4]);
    });

    it('makes no retry that could take the goal past its planning budget', async () => {
      // 110 tokens used by the architect + the planner prompt + up to 4,000 completion tokens > 4,200.
      const llm = scriptedLlm('outline', new LlmRateLimitedError('429 slow down', 10), validPlanJson());
      const { planner: p, waits } = retrying(llm, { tokenBudget: 4_200 });
      const outcome = await p.plan('goal');
      expect(outcome).toMatchObject({ ok: false, tokensUsed: 110, retryable: true });
      expect(!outcome.ok && outcome.reason).toBe(
        'planning failed: 429 slow down (not retried: the retry could pass the planning budget of 4200 tokens)',
      );
      expect([waits, llm.requests.length]).toEqual([[], 2]);
    });

    it('waits no longer in all than it may (the goal claim would go stale)', async () => {
      const llm = scriptedLlm('outline', new LlmRateLimitedError('429 come back in 10 min', 600_000), validPlanJson());
      const { planner: p, waits } = retrying(llm, { maxWaitMs: 60_000 });
      const outcome = await p.plan('goal');
      expect(!outcome.ok && outcome.reason).toBe(
        'planning failed: 429 come back in 10 min (not retried: waiting 600000 ms would pass the 60000 ms planning may wait)',
      );
      expect([waits, llm.requests.length]).toEqual([[], 2]);
    });
  });

  it('rethrows what is not an LLM error (a bug, not a model problem)', async () => {
    await expect(planner(scriptedLlm(new TypeError('oops'))).plan('goal')).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses an empty goal without calling the model', async () => {
    const llm = scriptedLlm();
    expect(await planner(llm).plan('  ')).toMatchObject({ ok: false, tokensUsed: 0, retryable: false });
    expect(llm.requests).toHaveLength(0);
  });
});
