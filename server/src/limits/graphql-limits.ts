import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
  validate,
} from 'graphql';

/**
 * The shape limits of a GraphQL document, the same over HTTP and the WebSocket. The web client's own
 * documents (web/src/gql) measure at most depth 4, cost 112, 84 tokens, no aliases and no directives;
 * GraphiQL's introspection query is 183 tokens (its depth and cost are not counted). Each limit sits
 * well above the client and well below what was measured to hurt (issue 13).
 */
export const graphqlLimits = {
  /** Nested selections, fragments flattened. A 50-level query ran 5–15 s in Neo4j. */
  maxDepth: 10,
  /** Aliased fields per operation (`__typename` free). 1,000 aliases made other tenants wait 2–9 s. */
  maxAliases: 15,
  /** Directives per operation; each `@include`/`@skip` is evaluated per field, 200 of them buy nothing. */
  maxDirectives: 20,
  /**
   * Lexical tokens per document, checked while parsing: refuses a huge document before it is built,
   * and a deeply nested one before the recursive parser overflows the stack (`[` 2,000 levels deep
   * did, as "Maximum call stack size exceeded").
   */
  maxTokens: 1_000,
  /**
   * graphql-armor's cost: a leaf costs 1, an object 2, each level deeper ×1.5, a `first`/`last`
   * literal multiplies its subtree. Fragments are expanded, so fragments that double per level
   * (772 bytes ran past 90 s) cost millions and are refused without a separate fragment cap.
   */
  maxCost: 5_000,
  /** Largest HTTP body and largest WebSocket message, in bytes (2 MiB). */
  maxRequestBytes: 2 * 1024 * 1024,
} as const;

/** Options of the parser, for Apollo (`parseOptions`) and the socket alike. */
export const graphqlParseOptions: ParseOptions = { maxTokens: graphqlLimits.maxTokens };

/** A refused document answers GRAPHQL_VALIDATION_FAILED, as Apollo names every validation error. */
const reportLimit = (context: ValidationContext | null, error: GraphQLError): void => {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    }),
  );
};
const reject = { onReject: [reportLimit], propagateOnRejection: false, exposeLimits: true };

/** graphql-armor's depth, alias, directive and cost rules with the values above. */
export const limitValidationRules: readonly ValidationRule[] = new ApolloArmor({
  blockFieldSuggestion: { enabled: false }, // done for both transports by hideSuggestions (format-error)
  maxTokens: { enabled: false }, // the parser's own maxTokens (graphqlParseOptions) stops it earlier
  maxDepth: { ...reject, n: graphqlLimits.maxDepth, flattenFragments: true },
  maxAliases: { ...reject, n: graphqlLimits.maxAliases },
  maxDirectives: { ...reject, n: graphqlLimits.maxDirectives },
  costLimit: { ...reject, maxCost: graphqlLimits.maxCost, flattenFragments: true },
}).protect().validationRules;

/** Removes graphql-js' "Did you mean …?" hints, which spell out the schema to anyone guessing names. */
export const hideSuggestions = (message: string): string => message.replace(/ ?Did you mean [^?]*\?/g, '').trim();

export interface GraphqlLimitOptions {
  /** `config.auth.introspection`: introspection and field suggestions allowed. */
  readonly introspection: boolean;
}

/** What Apollo Server needs, spread into its options. */
export const apolloLimitOptions = ({ introspection }: GraphqlLimitOptions) => ({
  introspection,
  validationRules: [...limitValidationRules],
  parseOptions: graphqlParseOptions,
  allowBatchedHttpRequests: false,
});

const asCoded = (error: GraphQLError, code: string): GraphQLError =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });

/**
 * Parses and validates a document with exactly the limits Apollo applies over HTTP, for the socket:
 * the errors to refuse it with (GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED), or none.
 */
export const createDocumentCheck = (schema: GraphQLSchema, { introspection }: GraphqlLimitOptions) => {
  const rules = [
    ...specifiedRules,
    ...limitValidationRules,
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return (query: string): GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(query, graphqlParseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return [asCoded(error, 'GRAPHQL_PARSE_FAILED')];
      return [new GraphQLError('Document cannot be parsed', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    return validate(schema, document, rules).map((error) => asCoded(error, 'GRAPHQL_VALIDATION_FAILED'));
  };
};
