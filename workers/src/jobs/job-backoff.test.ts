import { describe, expect, it } from 'vitest';
import { LlmRateLimitedError, LlmTransientError } from '../llm';
import { agentBackoff } from './agent-backoff';

describe('agentBackoff', () => {
  it("waits exactly what a 429's Retry-After asked for", () => {
    expect(agentBackoff(100)(1, 'agent', new LlmRateLimitedError('slow down', 7_000))).toBe(7_000);
  });

  it('backs off exponentially, with at most 10% jitter, for transient errors', () => {
    const backoff = agentBackoff(1_000);
    const error = new LlmTransientError('502');
    for (const [attempt, expected] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
    ] as const) {
      const delay = backoff(attempt, 'agent', error) as number;
      expect(delay).toBeGreaterThanOrEqual(expected * 0.9);
      expect(delay).toBeLessThanOrEqual(expected * 1.1);
    }
  });
});
