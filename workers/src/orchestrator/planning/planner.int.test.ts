import { type FakeBehaviour, type FakeChatRequest, type FakeLlmServer, startFakeLlmServer } from '@ai-org/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countMessageTokens, countTokens, OfflineProvider, OpenAiProvider } from '../../llm';
import { validPlan, validPlanJson } from './plan.fixture';
import { validatePlan } from './plan-schema';
import { defaultPlanningMaxTokens, Planner, type PlanOutcome } from './planner';

const architecture =
  '## Components\n- csv reader\n- json writer\n## Interfaces\n- stdin/stdout\n## Risks\n- huge files';
const goal = 'a CLI that converts CSV to JSON';

let server: FakeLlmServer;
let planner: Planner;

beforeAll(async () => {
  server = await startFakeLlmServer();
  const llm = new OpenAiProvider({
    baseURL: server.url,
    apiKey: 'sk-test-planner',
    model: 'plan-model',
    timeoutMs: 2_000,
  });
  planner = new Planner({ llm, maxTokensPerCall: defaultPlanningMaxTokens });
});

afterEach(() => server.setResponder(undefined));
afterAll(() => server.close());

/** The request's messages as text (planning sends no tool calls, so no content is null). */
const textsOf = (request: FakeChatRequest) =>
  (request.messages ?? []).map(({ role, content }) => ({ role, content: content ?? '' }));

/** What the fake server's usage says `requests` cost, given the texts it answered. */
const tokensOf = (requests: readonly FakeChatRequest[], answers: readonly string[]): number =>
  requests.reduce((sum, request, i) => sum + countMessageTokens(textsOf(request)) + countTokens(answers[i] ?? ''), 0);

const systemOf = (request: FakeChatRequest): string =>
  request.messages?.find((m) => m.role === 'system')?.content ?? '';
const userOf = (request: FakeChatRequest): string => request.messages?.find((m) => m.role === 'user')?.content ?? '';

/** Runs a plan with the server answering `answers` in order; returns the outcome and the requests it made. */
const planWith = async (...answers: string[]): Promise<{ outcome: PlanOutcome; requests: FakeChatRequest[] }> => {
  const from = server.requests.length;
  server.enqueue(...answers.map((text) => ({ kind: 'ok' as const, text })));
  const outcome = await planner.plan(goal);
  const requests = server.requests.slice(from);
  expect(tokensOf(requests, answers)).toBe(outcome.tokensUsed);
  return { outcome, requests };
};

describe('Planner with the OpenAI client against an OpenAI-compatible server', () => {
  it('plans a goal: architect outline, then a valid plan', async () => {
    const { outcome, requests } = await planWith(architecture, validPlanJson());
    expect(outcome).toMatchObject({ ok: true, architecture, provider: 'openai', model: 'plan-model' });
    expect(outcome.ok && outcome.plan).toEqual(validPlan());
    expect(requests).toHaveLength(2);
    expect(requests.map(systemOf)).toEqual([
      expect.stringContaining('(architect)'),
      expect.stringContaining('(planner)'),
    ]);
    expect(userOf(requests[1] ?? {})).toContain(`Goal: ${goal}\n\nArchitecture outline:\n${architecture}`);
    expect(requests.every((request) => request.max_tokens === defaultPlanningMaxTokens)).toBe(true);
  });

  it('repairs a malformed first plan with one more call carrying the problems and the answer', async () => {
    const broken = JSON.stringify({ ...validPlan(), dependencies: [{ from: 'parse-csv', to: 'ghost' }] });
    const { outcome, requests } = await planWith(architecture, broken, `\`\`\`json\n${validPlanJson()}\n\`\`\``);
    expect(outcome.ok).toBe(true);
    expect(requests).toHaveLength(3);
    const repair = userOf(requests[2] ?? {});
    expect(systemOf(requests[2] ?? {})).toContain('(planner)');
    expect(repair).toContain('- dependencies.0.to: unknown task key "ghost"');
    expect(repair).toContain(broken);
  });

  it('gives up after one repair, with the problems in the reason and every call counted', async () => {
    const { outcome, requests } = await planWith(architecture, 'Here you go: tasks are a, b', '{"tasks": []}');
    expect(requests).toHaveLength(3);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "the model's plan was invalid after one repair: tasks: must list at least one task",
      retryable: false,
    });
    expect(userOf(requests[2] ?? {})).toContain('- not JSON: the answer contains no {...} object');
  });

  it('reports a rate limit as a retryable failure, counting the calls that answered', async () => {
    const from = server.requests.length;
    server.enqueue({ kind: 'ok', text: architecture }, { kind: 'status', status: 429, retryAfter: '3' });
    const outcome = await planner.plan(goal);
    expect(outcome).toMatchObject({ ok: false, retryable: true, cause: { kind: 'rate-limited', retryAfterMs: 3_000 } });
    expect(!outcome.ok && outcome.reason).toMatch(/^planning failed: /);
    expect(outcome.tokensUsed).toBe(tokensOf(server.requests.slice(from, from + 1), [architecture]));
  });

  it('can be served by system prompt through a responder, whatever the order of calls', async () => {
    server.setResponder((request) => {
      const system = systemOf(request);
      if (system.includes('(architect)')) return { kind: 'ok', text: architecture };
      if (system.includes('(planner)')) return { kind: 'ok', text: `Plan:\n${validPlanJson()}` };
      return undefined;
    });
    const outcome = await planner.plan(goal);
    expect(outcome).toMatchObject({ ok: true, architecture });
  });
});

describe('Planner retrying calls against an OpenAI-compatible server', () => {
  /** Real waits, kept tiny: a 10 ms Retry-After, a 10 ms backoff base. */
  const retrying = () =>
    new Planner({
      llm: new OpenAiProvider({
        baseURL: server.url,
        apiKey: 'sk-test-planner',
        model: 'plan-model',
        timeoutMs: 2_000,
      }),
      maxTokensPerCall: defaultPlanningMaxTokens,
      retry: { attempts: 3, backoffMs: 10, tokenBudget: 40_000, maxWaitMs: 10_000 },
    });
  const planAfter = async (...behaviours: FakeBehaviour[]) => {
    const from = server.requests.length;
    server.enqueue(...behaviours);
    const outcome = await retrying().plan(goal);
    return { outcome, requests: server.requests.slice(from) };
  };

  it('accepts the plan when the planner call answers 429 with a Retry-After, then succeeds', async () => {
    const { outcome, requests } = await planAfter(
      { kind: 'ok', text: architecture },
      { kind: 'status', status: 429, retryAfter: '0.01' },
      { kind: 'ok', text: validPlanJson() },
    );
    expect(outcome).toMatchObject({ ok: true, architecture });
    expect(outcome.ok && outcome.plan).toEqual(validPlan());
    expect(requests.map(systemOf)).toEqual([
      expect.stringContaining('(architect)'),
      expect.stringContaining('(planner)'),
      expect.stringContaining('(planner)'),
    ]);
    // The refused call cost nothing: only the two answered calls are counted.
    expect(outcome.tokensUsed).toBe(tokensOf([requests[0] ?? {}, requests[2] ?? {}], [architecture, validPlanJson()]));
  });

  it('accepts the plan when the architect call answers 503, then succeeds', async () => {
    const { outcome, requests } = await planAfter(
      { kind: 'status', status: 503 },
      { kind: 'ok', text: architecture },
      { kind: 'ok', text: validPlanJson() },
    );
    expect(outcome).toMatchObject({ ok: true, architecture });
    expect(requests).toHaveLength(3);
  });

  it('fails at once on a 401, without a retry', async () => {
    // A retry would get the server's default answer, a third request.
    const { outcome, requests } = await planAfter({ kind: 'ok', text: architecture }, { kind: 'status', status: 401 });
    expect(outcome).toMatchObject({ ok: false, retryable: false, cause: { kind: 'permanent' } });
    expect(requests).toHaveLength(2);
  });

  it('gives up after its attempts when every call answers 500', async () => {
    const { outcome, requests } = await planAfter(
      { kind: 'ok', text: architecture },
      ...Array.from({ length: 3 }, () => ({ kind: 'status', status: 500 }) as const),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: true, cause: { kind: 'transient' } });
    expect(!outcome.ok && outcome.reason).toMatch(/^planning failed: gave up after 3 attempts: /);
    expect(requests).toHaveLength(4);
  });
});

describe('Planner with the offline provider', () => {
  const offline = new Planner({ llm: new OfflineProvider(), maxTokensPerCall: defaultPlanningMaxTokens });

  it(`makes a deterministic, valid plan for "${goal}" over all four roles`, async () => {
    const first = await offline.plan(goal);
    const second = await offline.plan(goal);
    expect(second).toEqual(first);
    if (!first.ok) throw new Error(first.reason);
    expect(first).toMatchObject({ provider: 'offline', model: 'offline' });
    expect(validatePlan(first.plan).ok).toBe(true);
    expect(first.plan.tasks.length).toBeGreaterThanOrEqual(8);
    expect(new Set(first.plan.tasks.map((task) => task.role))).toEqual(new Set(['dev', 'ux_ui', 'qa', 'telemetry']));
    expect(first.architecture).toContain('## Components');
    expect(first.tokensUsed).toBeGreaterThan(0);
  });

  it('plans goals of other shapes too', async () => {
    for (const other of ['an HTTP API for booking rooms', 'a recipe sharing web app', 'x']) {
      const outcome = await offline.plan(other);
      expect([other, outcome.ok]).toEqual([other, true]);
    }
  });
});
