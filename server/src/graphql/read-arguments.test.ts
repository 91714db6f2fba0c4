import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { generatedReadFields, isValidDateTime, readArgumentProblems } from './read-arguments';

describe('isValidDateTime', () => {
  it.each([
    '2024-05-01',
    '2024-02-29',
    '2000-02-29T23:59:59Z',
    '0000-02-29',
    '2024-05-01T10:00',
    '2024-05-01T10:00Z',
    '2024-05-01T10:00:00.123456789+02:00',
    '2024-05-01T10:00:00-0530',
    '2024-05-01T10:00:00+18',
    '9999-12-31T23:59:59.999Z',
  ])('accepts %s', (text) => {
    expect(isValidDateTime(text)).toBe(true);
  });

  it.each([
    '2024-02-30T00:00:00Z',
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-05-00',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60Z',
    '2024-05-01T10:00:60Z',
    '2024-05-01T10:00:00+19:00',
    '2024-05-01T10:00:00+02:60',
    '275760-09-13T00:00:00Z',
    '2024-05-01T10:00:00[Mars/Olympus]',
    'garbage',
    '',
  ])('refuses %s', (text) => {
    expect(isValidDateTime(text)).toBe(false);
  });
});

describe('readArgumentProblems', () => {
  const schema = buildSchema(`
    scalar DateTime
    input DateTimeFilters { gt: DateTime, in: [DateTime!] }
    input ThingWhere { createdAt: DateTimeFilters, AND: [ThingWhere!] }
    type Thing { id: ID!, children(limit: Int, offset: Int, where: ThingWhere): [Thing!]! }
    type Query {
      things(limit: Int, offset: Int, where: ThingWhere): [Thing!]!
      thingsConnection(first: Int, after: String, where: ThingWhere): Int
      custom(limit: Int): Int
    }
  `);
  const generated = new Set([...generatedReadFields(schema)].filter((coordinate) => coordinate !== 'Query.custom'));
  const problemsOf = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    return readArgumentProblems(schema, generated, document, operation, variables).map((problem) => problem.path);
  };
  const cursor = (text: string) => Buffer.from(text).toString('base64');

  it('finds paging arguments out of range, at any depth and through fragments and variables', () => {
    expect(
      problemsOf(
        `query($n: Int) { things(limit: -1, offset: 0) { ...F } thingsConnection(first: $n) }
         fragment F on Thing { children(offset: -5) { id } }`,
        { n: 0 },
      ),
    ).toEqual(['Query.things(limit)', 'Query.thingsConnection(first)', 'Thing.children(offset)']);
  });

  it('accepts both ends of each range', () => {
    expect(
      problemsOf(
        `{ things(limit: 10000, offset: 1000000) { children(limit: 1, offset: 0) { id } }
           thingsConnection(first: 1, after: "${cursor('arrayconnection:1000000')}") }`,
      ),
    ).toEqual([]);
  });

  it.each([
    ['a negative offset', 'arrayconnection:-5'],
    ['an offset past the range', 'arrayconnection:1000001'],
    ['an offset past 2^63', 'arrayconnection:99999999999999999999'],
    ['another prefix', 'simplecursor:5'],
  ])('refuses a cursor with %s', (_name, text) => {
    expect(problemsOf(`{ thingsConnection(after: "${cursor(text)}") }`)).toEqual(['Query.thingsConnection(after)']);
  });

  it('refuses a cursor that is not base64 of anything the API makes', () => {
    expect(problemsOf('{ thingsConnection(after: "nope") }')).toEqual(['Query.thingsConnection(after)']);
  });

  it('finds impossible DateTime values anywhere in a where, literal or variable', () => {
    expect(
      problemsOf(
        `query($w: ThingWhere) {
           things(where: { AND: [{ createdAt: { in: ["2024-05-01", "2024-02-30"] } }] }) { id }
           thingsConnection(where: $w)
         }`,
        { w: { createdAt: { gt: '2024-13-01' } } },
      ),
    ).toEqual(['Query.things(where).AND.0.createdAt.in.1', 'Query.thingsConnection(where).createdAt.gt']);
  });

  it('leaves fields the generated schema does not serve to their own validation', () => {
    expect(problemsOf('{ custom(limit: -1) }')).toEqual([]);
  });

  it('leaves variables that do not coerce to execution', () => {
    expect(problemsOf('query($n: Int) { things(limit: $n) { id } }', { n: 'many' })).toEqual([]);
  });
});
