import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlLimits } from '../../src/limits/graphql-limits';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from '../test-app';
import { closeCodeAfterSending, type OperationResult, upgradeOutcome, wsOperation } from './ws-helpers';

// graphql-js says "more that 1000 tokens" (its typo); the pattern accepts both spellings.
const nested = (levels: number) => `{ tasks(limit: 1) { ${'dependsOn { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: tasks(limit: 1) { id }`).join(' ')} }`;
const tinyAliases = (count: number) =>
  `{ tasks(limit: 1) { ${Array.from({ length: count }, (_, i) => `a${i}: id`).join(' ')} } }`;
const directives = (count: number) =>
  `{ tasks(limit: 1) { ${Array.from({ length: count }, () => 'id @include(if: true)').join(' ')} } }`;
/** Each fragment spreads the previous one twice: 20 levels stand for 2^20 copies of `id` in 800 bytes. */
const doublingFragments = `{ tasks(limit: 1) { ...F20 } } fragment F0 on Task { id } ${Array.from(
  { length: 20 },
  (_, i) => `fragment F${i + 1} on Task { ...F${i} ...F${i} }`,
).join(' ')}`;

/** Refused before anything ran: no data, every error typed with `code`, no stack trace, message matching. */
const expectRefused = (result: OperationResult, code: string, message: RegExp) => {
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.length).toBeGreaterThan(0);
  for (const error of result.errors ?? []) {
    expect(error.extensions?.code).toBe(code);
    expect(error.extensions).not.toHaveProperty('stacktrace');
    expect(error.message).not.toMatch(/call stack|Syntax Error: Query|at .*\.js/);
  }
  expect(result.errors?.map((error) => error.message).join('\n')).toMatch(message);
};

describe('document-shape and transport limits, over HTTP and the WebSocket alike', () => {
  let t: TestApp;
  let open: TestApp;
  let wsUrl: string;
  const tenant = uniqueTenant('limits');

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    open = await startTestApp({ GRAPHQL_INTROSPECTION: 'true' });
    wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
  });
  afterAll(async () => {
    await deleteTenants(t.bolt, tenant);
    await open?.stop();
    await t?.stop();
  });

  const both = async (query: string, app: TestApp = t) => {
    const url = `${app.url.replace('http', 'ws')}/graphql`;
    return [await app.gql(query, {}, tenant), await wsOperation(url, tenant, query)] as const;
  };
  const post = async (body: string, app: TestApp = t) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': tenant },
      body,
    });
    return { status: response.status, json: (await response.json()) as OperationResult };
  };

  it('runs a small read over both transports (the limits leave ordinary documents alone)', async () => {
    for (const result of await both(nested(3))) expect(result).toEqual({ data: { tasks: [] } });
  });

  it(`refuses a query 50 levels deep (limit ${graphqlLimits.maxDepth}) with GRAPHQL_VALIDATION_FAILED`, async () => {
    for (const result of await both(nested(50))) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Query depth limit of 10 exceeded, found 5\d/);
    }
    expect((await post(JSON.stringify({ query: nested(50) }))).status).toBe(400);
  });

  it(`refuses more than ${graphqlLimits.maxAliases} aliases, and 1,000 of them already at the token limit`, async () => {
    for (const result of await both(aliases(16))) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 15 exceeded, found 16/);
    }
    for (const result of await both(tinyAliases(1_000))) {
      expectRefused(result, 'GRAPHQL_PARSE_FAILED', /contains more tha[nt] 1000 tokens/);
    }
  });

  it('refuses fragments that double per level by their cost, before running anything', async () => {
    for (const result of await both(doublingFragments)) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Query Cost limit of 5000 exceeded/);
    }
  });

  it(`refuses more than ${graphqlLimits.maxDirectives} directives, and 200 already at the token limit`, async () => {
    for (const result of await both(directives(21))) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 20 exceeded, found 21/);
    }
    for (const result of await both(directives(200))) {
      expectRefused(result, 'GRAPHQL_PARSE_FAILED', /contains more tha[nt] 1000 tokens/);
    }
  });

  it('refuses a huge token count, and deep nesting without overflowing the stack', async () => {
    const documents = [
      `{ tasks(limit: 1) { ${'id '.repeat(50_000)} } }`,
      `{ ${'tasks { '.repeat(20_000)}id${' }'.repeat(20_000)} }`,
      `{ tasks(where: { id: { in: ${'['.repeat(20_000)}"x"${']'.repeat(20_000)} } }) { id } }`,
    ];
    for (const query of documents) {
      for (const result of await both(query))
        expectRefused(result, 'GRAPHQL_PARSE_FAILED', /contains more tha[nt] 1000 tokens/);
    }
  });

  it('refuses a 5 MB document: 413 over HTTP, close 1009 (message too big) over the socket', async () => {
    const fiveMb = 5 * 1024 * 1024;
    const http = await post(JSON.stringify({ query: `{ __typename }${' '.repeat(fiveMb)}` }));
    expect(http.status).toBe(413);
    expectRefused(http.json, 'PAYLOAD_TOO_LARGE', /too large/);
    expect(await closeCodeAfterSending(wsUrl, fiveMb)).toBe(1009);
    // A message just under the limit is read (and the socket then asks for an identity as usual).
    expect(await closeCodeAfterSending(wsUrl, graphqlLimits.maxRequestBytes - 1_000)).not.toBe(1009);
  });

  it('refuses an HTTP batch (an array of operations) with a clear 400', async () => {
    const batch = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(batch.status).toBe(400);
    expect(JSON.stringify(batch.json)).toMatch(/batch/i);
  });

  it('refuses the upgrade of a page of another origin (403) and accepts allowed, own and absent origins', async () => {
    expect(await upgradeOutcome(wsUrl, 'https://evil.example')).toBe(403);
    expect(await upgradeOutcome(wsUrl, 'null')).toBe(403);
    expect(await upgradeOutcome(wsUrl, 'http://localhost:5173')).toBe('open'); // ALLOWED_ORIGINS default
    expect(await upgradeOutcome(wsUrl, t.url)).toBe('open'); // the API's own origin
    expect(await upgradeOutcome(wsUrl, undefined)).toBe('open'); // scripts and servers send none
  });

  it('does not serve /metrics on the public API port (only on the METRICS_PORT listener)', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
  });

  it('hides field suggestions when introspection is off, and keeps them when it is on', async () => {
    for (const result of await both('{ tsks { id } }')) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "tsks"/);
      expect(JSON.stringify(result.errors)).not.toMatch(/Did you mean|"tasks"/);
    }
    for (const result of await both('{ tsks { id } }', open)) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /Did you mean "tasks"/);
    }
  });

  it("refuses introspection when it is off and answers GraphiQL's introspection query when it is on", async () => {
    for (const result of await both('{ __schema { queryType { name } } }')) {
      expectRefused(result, 'GRAPHQL_VALIDATION_FAILED', /introspection/i);
    }
    const graphiql = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true });
    for (const result of await both(graphiql, open)) {
      expect(result.errors).toBeUndefined();
      expect(result.data).toHaveProperty('__schema.queryType.name', 'Query');
    }
  });
});
