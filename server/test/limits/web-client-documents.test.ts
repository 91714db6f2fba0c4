import { readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, getIntrospectionQuery, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentCheck } from '../../src/limits/graphql-limits';

const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));
/** Every operation of the web client, exactly as it sends it (codegen's documents, fragments included). */
const generated = readFileSync(new URL('../../../web/src/gql/graphql.ts', import.meta.url), 'utf8');
const webDocuments = [...generated.matchAll(/^export const (\w+Document) = (\{.*\}) as unknown as/gm)].map(
  ([, name, json]) => [name, print(JSON.parse(json ?? '{}') as DocumentNode)] as const,
);
/** What GraphiQL asks for on load. */
const graphiqlIntrospection = getIntrospectionQuery({
  descriptions: true,
  inputValueDeprecation: true,
  schemaDescription: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
});

describe('the document limits and the web client', () => {
  it('finds the web client documents', () => {
    expect(webDocuments.length).toBeGreaterThanOrEqual(7);
  });

  it.each(webDocuments)('lets %s pass with introspection off', (_, query) => {
    expect(createDocumentCheck(schema, { introspection: false })(query)).toEqual([]);
  });

  it("lets GraphiQL's introspection query pass when introspection is enabled, and only then", () => {
    expect(createDocumentCheck(schema, { introspection: true })(graphiqlIntrospection)).toEqual([]);
    const refused = createDocumentCheck(schema, { introspection: false })(graphiqlIntrospection);
    expect(refused.map((error) => error.extensions.code)).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
