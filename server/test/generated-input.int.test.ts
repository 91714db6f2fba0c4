import { createRedisClient, ErrorCode, loadConfig } from '@ai-org/core';
import fc from 'fast-check';
import {
  buildClientSchema,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKeyPrefix } from '../src/limits/rate-limits';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

/**
 * Bad input, generated: every mutation and every query field of the served schema (read by
 * introspection, so a new one is covered too) gets variables biased to bad values, and the API gets
 * random and mangled documents, odd headers and bodies that are not JSON. Whatever arrives, the answer
 * is data or typed errors (never INTERNAL_SERVER_ERROR, never a stack trace, never a hang), a refused
 * mutation stores nothing, and no request changes another tenant's data.
 */

/**
 * Fixed, so a failure replays; fast-check prints the seed and the counterexample. GEN_SEED and
 * GEN_RUNS run a longer or different sweep by hand; the defaults keep the file well under a minute.
 */
const seed = Number(process.env.GEN_SEED ?? 1_204_2026);
const runsPerMutation = Number(process.env.GEN_RUNS ?? 20);
const runsPerRead = Number(process.env.GEN_RUNS ?? 10);
const documentRuns = Number(process.env.GEN_RUNS ?? 100);
/** A cap for a whole sweep on a slow, shared machine; it normally takes a fraction of this. */
const sweepTimeoutMs = Math.max(120_000, runsPerMutation * 6_000);
/** A request that takes longer than this counts as a hang. */
const requestTimeoutMs = 15_000;
const adminToken = 'generated-input-admin';

/** Codes our own errors carry, plus the request-level codes GraphQL and Apollo produce. */
const typedCodes = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: unknown } }[];
  };
}

/** Keys an attacker uses to reach Object.prototype; JSON.parse makes them own properties. */
const pollutingObjects = [
  JSON.parse('{"__proto__": {"polluted": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  JSON.parse('{"__proto__": null, "toString": 1, "valueOf": "x", "hasOwnProperty": []}'),
];

const deeplyNested = (depth: number, asArray: boolean): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
  return value;
};

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u001b[31mred\u001b[0m',
  '\r\n',
  '\u007f\u0085\u009f',
  '\ud800',
  'x\udfff',
  'ok\u0007',
  'end\ud83d',
  'line\nbreak\tand tab',
  'zero\u200bwidth',
  '\udbff\ud800',
  '\u202etxt.exe',
  '\u2066\u2069',
  '\ufeff',
  '\uffff',
  '💥',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1',
  '0x10',
  '__proto__',
  'constructor',
  'prototype',
  "'; MATCH (n) DETACH DELETE n //",
  '`}) RETURN 1 //',
  '$tenantId',
  '{tenant}',
  '../../etc/passwd',
  'javascript:alert(1)',
  'https://hooks.slack.com/services/T0/B0/x',
  'http://127.0.0.1:6379/',
  'https://discord.com/api/webhooks/1/x?<script>',
);

const edgeNumbers = fc.constantFrom(
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  -(2 ** 31) - 1,
  5e-324,
  1e21,
);

/** Text just past or far past the usual limits, or made of what text rules must refuse. */
const longStrings = fc.constantFrom(
  'x'.repeat(4_001),
  'x'.repeat(10_001),
  'y'.repeat(200_000),
  '\u0000'.repeat(5_000),
  '\ud800'.repeat(3_000),
  '😀'.repeat(2_001),
);

/** Values that are wrong almost anywhere: wrong types, extremes, odd text, polluting keys, deep nesting. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  edgeNumbers,
  fc.double(),
  fc.integer(),
  oddStrings,
  fc.string({ unit: 'binary', maxLength: 40 }),
  longStrings,
  fc.constantFrom(...pollutingObjects),
  fc.constantFrom(deeplyNested(500, false), deeplyNested(500, true), deeplyNested(20, false)),
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 4 }),
  fc.constantFrom([], {}, [[]], [{}]),
);

/** Ids that exist in the tenant (or in another tenant), so the valid paths get exercised too. */
interface KnownIds {
  readonly tasks: string[];
  readonly webhooks: string[];
  foreignTask: string;
}

interface Gen {
  readonly ids: KnownIds;
  /** How often, in 10, a value is of a wrong type (0: always well-typed, yet possibly odd). */
  readonly wrong: number;
}

const scalarValue = (name: string, argName: string, { ids }: Gen): fc.Arbitrary<unknown> => {
  switch (name) {
    case 'ID':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ids.tasks, ...ids.webhooks, ids.foreignTask) },
        { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-z]{8}$/) },
        { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-z]{12}$/) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      );
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.integer(), edgeNumbers);
    case 'Float':
      return fc.oneof(
        { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
        { weight: 2, arbitrary: fc.double({ min: -10, max: 1e6, noNaN: true }) },
        { weight: 1, arbitrary: fc.double() },
        { weight: 1, arbitrary: edgeNumbers },
      );
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.constantFrom('2024-02-30', '2024-13-01T00:00:00Z', '2020-01-01T25:00', '-000001-01-01T00:00:00Z', 'now'),
      );
    case 'String':
      if (/url/i.test(argName)) {
        return fc.oneof(
          fc.constantFrom(
            'https://hooks.slack.com/services/T0GEN/B0GEN/generatedSecret',
            'https://discord.com/api/webhooks/42/generatedSecret',
          ),
          fc.webUrl(),
          oddStrings,
        );
      }
      if (argName === 'key' || argName === 'from' || argName === 'to') {
        // Plan keys: few, so that plans repeat keys, close cycles and point at existing tasks.
        return fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', 'toString') },
          { weight: 2, arbitrary: fc.constantFrom(...ids.tasks, ids.foreignTask) },
          { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
          { weight: 1, arbitrary: oddStrings },
        );
      }
      if (argName === 'after') {
        const cursor = (offset: number) => Buffer.from(`arrayconnection:${offset}`).toString('base64');
        return fc.oneof(fc.integer().map(cursor), fc.constantFrom(cursor(0), cursor(1e20), 'bm9wZQ=='), oddStrings);
      }
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
        { weight: 2, arbitrary: oddStrings },
        { weight: 1, arbitrary: longStrings },
      );
    default:
      return fc.string({ maxLength: 30 });
  }
};

/** `wellTyped`, or now and then (`gen.wrong` in 10) something else. */
const sometimesWrong = (gen: Gen, wellTyped: fc.Arbitrary<unknown>, wrong: fc.Arbitrary<unknown>) =>
  gen.wrong > 0
    ? fc.oneof({ weight: 10 - gen.wrong, arbitrary: wellTyped }, { weight: gen.wrong, arbitrary: wrong })
    : wellTyped;

/** An arbitrary for a value of `type`: well-typed (with odd but legal values), sometimes of a wrong type. */
const valueFor = (type: GraphQLInputType, argName: string, gen: Gen, depth = 0): fc.Arbitrary<unknown> =>
  sometimesWrong(gen, wellTypedFor(type, argName, gen, depth), badValue);

const wellTypedFor = (type: GraphQLInputType, argName: string, gen: Gen, depth: number): fc.Arbitrary<unknown> => {
  if (isNonNullType(type)) return wellTypedFor(type.ofType, argName, gen, depth);
  if (isListType(type)) {
    return fc.array(valueFor(type.ofType, argName, gen, depth + 1), { maxLength: depth > 1 ? 1 : 4 });
  }
  if (isEnumType(type)) {
    return sometimesWrong(
      gen,
      fc.constantFrom(...type.getValues().map((value) => value.name)),
      fc.constantFrom('UNKNOWN', 'Todo', 'todo ', '__proto__', 'constructor', ''),
    );
  }
  if (isInputObjectType(type)) {
    // Filters nest (AND, OR, NOT, relationship filters): stop deep down, and set only a few fields.
    if (depth > 4) return fc.constant(null);
    const fields = Object.values(type.getFields());
    const required = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
    const optional = fields.filter((field) => !isNonNullType(field.type)).map((field) => field.name);
    const objectOf = (names: string[], extra: Record<string, fc.Arbitrary<unknown>> = {}) => {
      const model: Record<string, fc.Arbitrary<unknown>> = { ...extra };
      for (const field of fields.filter((candidate) => names.includes(candidate.name))) {
        model[field.name] = valueFor(field.type, field.name, gen, depth + 1);
      }
      return fc.record(model, { requiredKeys: names.filter((name) => required.includes(name)) });
    };
    const optionalSubset = fc.subarray(optional, { maxLength: Math.min(optional.length, depth > 1 ? 2 : 5) });
    return sometimesWrong(
      gen,
      optionalSubset.chain((names) => objectOf([...required, ...names])),
      // An unknown field, or a required one left out.
      fc
        .subarray([...required, ...optional], { maxLength: Math.min(fields.length, 3) })
        .chain((names) => objectOf(names, { unknownField: fc.string() })),
    );
  }
  if (isScalarType(type)) return scalarValue(type.name, argName, gen);
  return badValue;
};

const printType = (type: GraphQLInputType): string => String(type);

/** `mutation($a: T!, …) { field(a: $a, …) { __typename } }`: every argument comes from a variable. */
const mutationDocument = (field: GraphQLField<unknown, unknown>): string => {
  const declared = field.args.map((arg) => `$${arg.name}: ${printType(arg.type)}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `mutation${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} { __typename } }`;
};

/** Variables for every argument of `field`: all well-typed, some wrong, or not an object of variables at all. */
const variablesFor = (field: GraphQLField<unknown, unknown>, ids: KnownIds): fc.Arbitrary<unknown> => {
  const required = field.args.filter((arg) => isNonNullType(arg.type)).map((arg) => arg.name);
  const variables = (gen: Gen, extra: Record<string, fc.Arbitrary<unknown>> = {}) => {
    const model: Record<string, fc.Arbitrary<unknown>> = { ...extra };
    for (const arg of field.args) model[arg.name] = valueFor(arg.type, arg.name, gen);
    return fc.record(model, { requiredKeys: required });
  };
  return fc.oneof(
    { weight: 4, arbitrary: variables({ ids, wrong: 0 }) },
    { weight: 4, arbitrary: variables({ ids, wrong: 1 }) },
    { weight: 1, arbitrary: fc.oneof(badValue, variables({ ids, wrong: 3 }, { extra: badValue })) },
  );
};

/** What a tenant has stored in Neo4j and Redis, as one comparable string. */
const fingerprint = async (t: TestApp, redis: Redis, tenantId: string): Promise<string> => {
  const { records: nodes } = await t.bolt.executeQuery(
    `MATCH (n) WHERE (n:Task OR n:Goal OR n:Webhook OR n:LedgerEntry OR n:Artifact) AND n.tenantId = $tenantId
     OPTIONAL MATCH (n)-[r]->(m)
     WITH n, collect([type(r), m.id, properties(r)]) AS out
     RETURN labels(n) AS labels, properties(n) AS props, out ORDER BY n.id`,
    { tenantId },
  );
  const { records: tenants } = await t.bolt.executeQuery(
    'MATCH (tn:Tenant {id: $tenantId}) RETURN properties(tn) AS props',
    { tenantId },
  );
  const stored: unknown[] = [
    nodes.map((record) => [record.get('labels'), record.get('props'), record.get('out')]),
    tenants.map((record) => record.get('props')),
  ];
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `*${tenantId}*`, count: 1_000 })) keys.push(...batch);
  // Rate-limit counters count every request, refused or not; they are not the tenant's data.
  for (const key of keys.filter((name) => !name.startsWith(`${rateLimitKeyPrefix}:`)).sort()) {
    const type = await redis.type(key);
    if (type === 'hash') stored.push([key, Object.entries(await redis.hgetall(key)).sort()]);
    else if (type === 'string') stored.push([key, await redis.get(key)]);
    else if (type === 'list') stored.push([key, await redis.lrange(key, 0, -1)]);
    else if (type === 'set') stored.push([key, (await redis.smembers(key)).sort()]);
    else if (type === 'zset') stored.push([key, await redis.zrange(key, '0', '-1', 'WITHSCORES')]);
    else if (type === 'stream')
      stored.push([key, await redis.xlen(key), await redis.xrevrange(key, '+', '-', 'COUNT', 1)]);
    else stored.push([key, type]);
  }
  return canonical(stored);
};

/** JSON with object keys sorted: Neo4j does not keep a node's property order when it rewrites it. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'bigint') return inner.toString();
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });

/**
 * Refused: errors and no result. BUDGET_EXCEEDED is left out: that refusal records, by design, that the
 * task waits for budget.
 */
const isRefusal = (response: RawResponse, field: string): boolean => {
  const errors = response.body.errors ?? [];
  if (errors.length === 0 || response.body.data?.[field] != null) return false;
  return !errors.some((error) => error.extensions?.code === 'BUDGET_EXCEEDED');
};

/** Every error is typed and none is INTERNAL; the body has no stack trace. */
const expectTyped = (response: RawResponse, what: string): void => {
  const context = `${what}\n→ HTTP ${response.status} ${response.text.slice(0, 600)}`;
  // A stack frame, raw or JSON-escaped, or Apollo's stacktrace extension.
  expect(response.text, context).not.toMatch(/(?:\\n|\n)\s+at (?:[\w<.[\] ]+\(|\S+:\d+:\d+)|"stacktrace"/);
  expect(response.status, context).toBeLessThan(500);
  const { data, errors } = response.body;
  expect(data != null || (errors?.length ?? 0) > 0, context).toBe(true);
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    expect(typeof code === 'string' && typedCodes.has(code), `untyped code ${String(code)} for ${context}`).toBe(true);
  }
};

describe('generated bad input', () => {
  let t: TestApp;
  let graphqlUrl: string;
  let redis: Redis;
  let schema: GraphQLSchema;
  const tenant = uniqueTenant('gen');
  const other = uniqueTenant('gen-o');
  const documentsTenant = uniqueTenant('gen-d');
  const ids: KnownIds = { tasks: [], webhooks: [], foreignTask: '' };

  /** POSTs any JSON body (or raw text) with a deadline, so a hang fails the test instead of stalling it. */
  const post = async (body: unknown, tenantId: string, raw = false): Promise<RawResponse> => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenantId, 'x-admin-token': adminToken },
      body: raw ? String(body) : JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let parsed: RawResponse['body'];
    try {
      parsed = JSON.parse(text) as RawResponse['body'];
    } catch {
      parsed = { errors: [{ message: 'not JSON', extensions: { code: 'NOT_JSON' } }] };
    }
    return { status: response.status, text, body: parsed };
  };

  /** A fingerprint that stayed the same for a moment: whatever else was writing has finished. */
  const settledFingerprint = async (tenantId: string): Promise<string> => {
    let last = await fingerprint(t, redis, tenantId);
    for (let poll = 0; poll < 30; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = await fingerprint(t, redis, tenantId);
      if (next === last) return next;
      last = next;
    }
    return last;
  };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN: adminToken, BUDGET_MIN_LEFT_USD: '0' });
    graphqlUrl = `${t.url}/graphql`;
    redis = createRedisClient(loadConfig(process.env).redis.url, 'worker', 'test-generated-input');
    await redis.connect();
    const introspection = await t.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, tenant);
    schema = buildClientSchema(introspection.data as IntrospectionQuery);

    const admin = { 'x-admin-token': adminToken };
    await t.gql('mutation { setBudget(amountUsd: 50) { leftUsd } }', {}, tenant, admin);
    const plan = await t.gql<{ createPlan: { tasks: { id: string }[] } }>(
      `mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { id } } }`,
      {
        input: {
          tasks: [
            { key: 'a', description: 'first', tokensPlan: 1 },
            { key: 'b', description: 'second' },
            { key: 'c', description: 'third', status: 'done' },
          ],
          dependencies: [{ from: 'b', to: 'a' }],
        },
      },
      tenant,
    );
    ids.tasks.push(...(plan.data?.createPlan.tasks.map((task) => task.id) ?? []));
    const hook = await t.gql<{ addWebhook: { id: string } }>(
      'mutation($input: AddWebhookInput!) { addWebhook(input: $input) { id } }',
      { input: { channel: 'SLACK', url: 'https://hooks.slack.com/services/T0GEN/B0GEN/seededSecret' } },
      tenant,
    );
    if (hook.data) ids.webhooks.push(hook.data.addWebhook.id);
    await t.gql('mutation { setGoal(text: "Build a generated thing") { __typename } }', {}, tenant);
    const foreign = await t.gql<{ createTask: { id: string } }>(
      'mutation { createTask(input: { description: "not yours", status: done, owner: "dev" }) { id } }',
      {},
      other,
    );
    ids.foreignTask = foreign.data?.createTask.id ?? 'zzzzzzzz';
    expect(ids.tasks).toHaveLength(3);
    expect(ids.webhooks).toHaveLength(1);
  });

  afterAll(async () => {
    await deleteTenants(t.bolt, tenant, other, documentsTenant);
    redis.disconnect();
    await t.stop();
  });

  it(
    'answers generated variables for every mutation with data or typed errors, and a refusal stores nothing',
    async () => {
      const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});
      expect(mutations.length).toBeGreaterThan(5);
      let refused = 0;
      for (const field of mutations) {
        const query = mutationDocument(field);
        await fc.assert(
          fc.asyncProperty(variablesFor(field, ids), async (variables) => {
            let before = await fingerprint(t, redis, tenant);
            let othersBefore = await fingerprint(t, redis, other);
            const response = await post({ query, variables }, tenant);
            const what = `${field.name} with ${JSON.stringify(variables)?.slice(0, 400)}`;
            expectTyped(response, what);
            let wasRefused = isRefusal(response, field.name);
            if (wasRefused) refused += 1;
            let after = wasRefused ? await fingerprint(t, redis, tenant) : before;
            let othersAfter = await fingerprint(t, redis, other);
            // Orchestrators and workers of other test files serve every tenant of the shared database and
            // may write to these meanwhile; a request that really writes writes again when replayed.
            for (let replay = 0; replay < 3 && (after !== before || othersAfter !== othersBefore); replay += 1) {
              before = await settledFingerprint(tenant);
              othersBefore = await settledFingerprint(other);
              const again = await post({ query, variables }, tenant);
              expectTyped(again, what);
              wasRefused = isRefusal(again, field.name);
              after = wasRefused ? await fingerprint(t, redis, tenant) : before;
              othersAfter = await fingerprint(t, redis, other);
            }
            expect(othersAfter, `another tenant's data changed after ${what}`).toBe(othersBefore);
            expect(after, `stored data changed after refused ${what}`).toBe(before);
          }),
          { seed, numRuns: runsPerMutation, endOnFailure: true },
        );
      }
      expect(refused).toBeGreaterThan(0);
    },
    sweepTimeoutMs,
  );

  it(
    'answers generated arguments for every query field with data or typed errors',
    async () => {
      const reads = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((field) => field.args.length > 0);
      expect(reads.length).toBeGreaterThan(5);
      for (const field of reads) {
        const query = mutationDocument(field).replace(/^mutation/, 'query');
        await fc.assert(
          fc.asyncProperty(variablesFor(field, ids), async (variables) => {
            const response = await post({ query, variables }, tenant);
            expectTyped(response, `${field.name} with ${JSON.stringify(variables)?.slice(0, 400)}`);
          }),
          { seed, numRuns: runsPerRead, endOnFailure: true },
        );
      }
    },
    sweepTimeoutMs,
  );

  // Cases the sweeps turned up, pinned down.

  it.each([
    ['too short', 'nope'],
    ['with a backtick', '`6y2'],
    ['10,001 characters long', 'x'.repeat(10_001)],
    ['with an escape sequence', '\u001b[31m'],
    ['of a webhook', '60pe8f3k6y1w'],
  ])(
    'refuses dispatchTask with a malformed task id (%s) as BAD_USER_INPUT, like every other task mutation',
    async (_label, id) => {
      const response = await post(
        { query: 'mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', variables: { id } },
        tenant,
      );
      expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message).toBe('Invalid task id: must be an 8-character task id');
    },
  );

  it.each([[0], [-1], [1_001], [2 ** 31 - 1]])(
    'refuses dispatchReadyTasks with limit %d instead of dispatching a clamped number of tasks',
    async (limit) => {
      const response = await post(
        {
          query: 'mutation($limit: Int) { dispatchReadyTasks(limit: $limit) { dispatched { taskId } } }',
          variables: { limit },
        },
        tenant,
      );
      expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.data?.dispatchReadyTasks ?? null).toBeNull();
    },
  );

  /** Valid documents the mangling starts from. */
  const validDocuments = [
    '{ tasks(limit: 5) { id description status dependsOn { id } } }',
    'query Q($n: Int) { backlog(limit: $n) { id businessValue } budget { leftUsd } }',
    '{ taskGraph { tasks { id } edges { from to } } webhooks { id channel } }',
    '{ tasksConnection(first: 2, after: "YXJyYXljb25uZWN0aW9uOjA=") { edges { cursor node { id } } } }',
    '{ tasks(where: { createdAt: { gt: "2020-01-01T00:00:00Z" } }) { id } }',
    'mutation { createTask(input: { description: "mangled", businessValue: 2 }) { id } }',
    'mutation { setTaskStatus(id: "zzzzzzzz", status: done) { id } }',
    'fragment F on Task { id } { tasks { ...F } }',
  ];

  const mangled = fc
    .tuple(
      fc.constantFrom(...validDocuments),
      fc.array(
        fc.tuple(
          fc.constantFrom('delete', 'duplicate', 'insert'),
          fc.nat(),
          fc.constantFrom(...'{}()[]:$!@",.#\\\u0000\ud800 \nx1'),
        ),
        { minLength: 1, maxLength: 5 },
      ),
    )
    .map(([document, edits]) => {
      let text = document;
      for (const [edit, at, char] of edits) {
        const i = at % (text.length + 1);
        if (edit === 'delete') text = text.slice(0, i) + text.slice(i + 1);
        else if (edit === 'duplicate') text = text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
        else text = text.slice(0, i) + char + text.slice(i);
      }
      return { query: text };
    });

  const nestedSelection = fc.integer({ min: 1, max: 40 }).map((depth) => ({
    query: `{ tasks(limit: 2) { id ${'dependsOn(limit: 2) { id '.repeat(depth)}${'} '.repeat(depth)}} }`,
  }));
  const unbalanced = fc.integer({ min: 100, max: 20_000 }).map((depth) => ({ query: `${'{ a '.repeat(depth)}` }));
  const deepBraces = fc.integer({ min: 100, max: 20_000 }).map((depth) => ({
    query: `{ ${'tasks { '.repeat(depth)}id${' }'.repeat(depth)} }`,
  }));
  const deepListLiteral = fc.integer({ min: 100, max: 20_000 }).map((depth) => ({
    query: `{ tasks(where: { id: { in: ${'['.repeat(depth)}"x"${']'.repeat(depth)} } }) { id } }`,
  }));
  const manyAliases = fc.integer({ min: 10, max: 3_000 }).map((count) => ({
    query: `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  }));
  const manyReadAliases = fc.integer({ min: 2, max: 200 }).map((count) => ({
    query: `{ ${Array.from({ length: count }, (_, i) => `t${i}: tasks(limit: 1) { id }`).join(' ')} }`,
  }));
  const oddBodies = fc.oneof(
    fc.record({ query: fc.string({ maxLength: 200 }) }),
    fc.record({ query: fc.string({ unit: 'binary', maxLength: 200 }) }),
    fc.record({ query: badValue }),
    fc.record({ query: fc.constant('{ __typename }'), variables: badValue, operationName: badValue }),
    fc.record({ query: fc.constantFrom(...validDocuments), extensions: badValue }),
    badValue,
  );

  it('answers random and mangled documents with typed errors, never INTERNAL and never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: mangled },
          { weight: 3, arbitrary: oddBodies },
          { weight: 1, arbitrary: nestedSelection },
          { weight: 1, arbitrary: unbalanced },
          { weight: 1, arbitrary: deepBraces },
          { weight: 1, arbitrary: deepListLiteral },
          { weight: 1, arbitrary: manyAliases },
          { weight: 1, arbitrary: manyReadAliases },
        ),
        async (body) => {
          const response = await post(body, documentsTenant);
          expectTyped(response, JSON.stringify(body)?.slice(0, 400) ?? String(body));
        },
      ),
      { seed, numRuns: documentRuns, endOnFailure: true },
    );
  });

  it('answers odd tenant and admin headers with typed errors', async () => {
    const header = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
      fc.constantFrom('__proto__', 'constructor', 'A'.repeat(5_000), ' demo ', 'demo,demo', 'ü', '*', '{t}', '../x'),
    );
    await fc.assert(
      fc.asyncProperty(header, header, async (tenantHeader, adminHeader) => {
        const response = await fetch(graphqlUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tenant-id': Buffer.from(tenantHeader, 'latin1').toString('latin1'),
            'x-admin-token': adminHeader,
          },
          body: JSON.stringify({ query: '{ tasks(limit: 1) { id } webhooks { id } budget { leftUsd } }' }),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const text = await response.text();
        let body: RawResponse['body'];
        try {
          body = JSON.parse(text) as RawResponse['body'];
        } catch {
          body = { errors: [{ message: 'not JSON', extensions: { code: 'NOT_JSON' } }] };
        }
        expectTyped({ status: response.status, text, body }, `headers ${JSON.stringify([tenantHeader, adminHeader])}`);
      }),
      { seed, numRuns: 60, endOnFailure: true },
    );
  });

  it('answers GET requests with odd query strings with typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mangled, fc.record({ query: fc.string({ maxLength: 60 }) })),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), fc.constantFrom('{', '[]', 'null', '{"a":1}')),
        async ({ query }, variables) => {
          const params = new URLSearchParams({ query, ...(variables === undefined ? {} : { variables }) });
          const response = await fetch(`${graphqlUrl}?${params}`, {
            headers: { 'x-tenant-id': documentsTenant, 'apollo-require-preflight': 'true' },
            signal: AbortSignal.timeout(requestTimeoutMs),
          });
          const text = await response.text();
          let body: RawResponse['body'];
          try {
            body = JSON.parse(text) as RawResponse['body'];
          } catch {
            body = { errors: [{ message: 'not JSON', extensions: { code: 'NOT_JSON' } }] };
          }
          expectTyped({ status: response.status, text, body }, `GET ${params}`);
        },
      ),
      { seed, numRuns: 60, endOnFailure: true },
    );
  });

  it('answers raw bodies that are not JSON with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.constantFrom('{', '{"query": "{ __typename }"', '[]', 'null', '"x"', '1e999', '{"query": 1}'),
        ),
        async (raw) => {
          const response = await post(raw, documentsTenant, true);
          expectTyped(response, `raw body ${JSON.stringify(raw)}`);
        },
      ),
      { seed, numRuns: 50, endOnFailure: true },
    );
  });
});
