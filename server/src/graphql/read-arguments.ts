import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { graphqlParseOptions } from '../limits/graphql-limits';

/** The paging arguments of the generated reads, and the range each accepts. */
export const readArgumentRanges = {
  limit: { min: 1, max: 10_000 },
  first: { min: 1, max: 10_000 },
  offset: { min: 0, max: 1_000_000 },
  /** The offset a cursor (`after`) stands for. */
  after: { min: 0, max: 1_000_000 },
} as const;
type PagingArgument = keyof typeof readArgumentRanges;
const isPagingArgument = (name: string): name is PagingArgument => Object.hasOwn(readArgumentRanges, name);

/** The cursors @neo4j/graphql hands out (graphql-relay's): base64 of `arrayconnection:<offset>`. */
const cursorPattern = /^arrayconnection:(0|[1-9]\d{0,15})$/;
/** The offset a cursor stands for, or null when the API could not have made it. */
const cursorOffset = (cursor: string): number | null => {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (Buffer.from(decoded, 'utf8').toString('base64') !== cursor) return null;
  const match = cursorPattern.exec(decoded);
  return match ? Number(match[1]) : null;
};

// ISO 8601 calendar date, optionally a time of day (hours and minutes at least, seconds with up to nine
// fraction digits) and a UTC offset. Neo4j reads more forms, but answers an impossible date with an error.
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/** Days in a month of the proleptic Gregorian calendar (Date.UTC would map years 0..99 to 1900..1999). */
const daysIn = (year: number, month: number): number => {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
};

/** Whether `text` is a real date (and time) in the format above, which Neo4j's datetime() reads. */
export const isValidDateTime = (text: string): boolean => {
  const match = dateTimePattern.exec(text);
  if (!match) return false;
  const part = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  const [hour, minute, second, offsetHours, offsetMinutes] = [part(4), part(5), part(6), part(7), part(8)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  return offsetMinutes <= 59 && offsetHours * 60 + offsetMinutes <= 18 * 60;
};

interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Walks a coerced argument value along its input type, calling `onDateTime` for every DateTime in it. */
const eachDateTime = (
  type: GraphQLInputType,
  value: unknown,
  path: string,
  onDateTime: (text: string, path: string) => void,
): void => {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      eachDateTime(nullable.ofType, item, `${path}.${index}`, onDateTime);
    });
  } else if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (field) eachDateTime(field.type, fieldValue, `${path}.${name}`, onDateTime);
    }
  } else if (nullable.name === 'DateTime' && typeof value === 'string') {
    onDateTime(value, path);
  }
};

const checkArguments = (
  fieldPath: string,
  args: Readonly<Record<string, unknown>>,
  field: GraphQLField<unknown, unknown>,
): Problem[] => {
  const problems: Problem[] = [];
  for (const arg of field.args) {
    const value = args[arg.name];
    if (value === undefined || value === null) continue;
    const path = `${fieldPath}(${arg.name})`;
    if (isPagingArgument(arg.name)) {
      const { min, max } = readArgumentRanges[arg.name];
      const number = arg.name === 'after' ? (typeof value === 'string' ? cursorOffset(value) : null) : value;
      if (number === null) {
        problems.push({ path, message: 'must be a cursor this API returned' });
      } else if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
        problems.push({
          path,
          message:
            arg.name === 'after'
              ? `must be a cursor of an offset from ${min} to ${max.toLocaleString('en-US')}`
              : `must be an integer from ${min} to ${max.toLocaleString('en-US')}`,
        });
      }
    }
    eachDateTime(arg.type, value, path, (text, at) => {
      if (!isValidDateTime(text)) {
        problems.push({
          path: at,
          message: 'must be a real ISO 8601 date and time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z',
        });
      }
    });
  }
  return problems;
};

/** `Type.field` of every field the generated (Neo4j) schema serves that takes arguments. */
export const generatedReadFields = (neo4jSchema: GraphQLSchema): ReadonlySet<string> => {
  const coordinates = new Set<string>();
  for (const type of Object.values(neo4jSchema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length > 0) coordinates.add(`${type.name}.${field.name}`);
    }
  }
  return coordinates;
};

/**
 * What is wrong with the paging arguments and the DateTime values of the generated reads in one
 * operation, before @neo4j/graphql turns them into Cypher (where a negative LIMIT, a cursor past
 * 2^63 or February 30 fail inside Neo4j). Variables that do not coerce are left to execution, which
 * answers them with BAD_USER_INPUT itself.
 */
export const readArgumentProblems = (
  schema: GraphQLSchema,
  generated: ReadonlySet<string>,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): Problem[] => {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return [];
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const problems: Problem[] = [];
  const visited = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    const node = pending.pop() as OperationDefinitionNode | FragmentDefinitionNode;
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !visited.has(fragment.name.value)) {
            visited.add(fragment.name.value);
            pending.push(fragment);
          }
        },
        Field(fieldNode: FieldNode) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field || !generated.has(`${getNamedType(parent).name}.${field.name}`)) return;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(field, fieldNode, variables);
          } catch {
            return; // execution reports arguments that do not coerce
          }
          problems.push(...checkArguments(`${parent.name}.${field.name}`, args, field));
        },
      }),
    );
  }
  return problems;
};

/**
 * Refuses, before execution, an operation whose generated reads carry paging arguments out of range
 * or DateTime values Neo4j cannot read: one BAD_USER_INPUT error (HTTP 400) listing every problem.
 */
export const readArgumentsPlugin = (neo4jSchema: GraphQLSchema): ApolloServerPlugin => {
  const generated = generatedReadFields(neo4jSchema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problems = readArgumentProblems(schema, generated, document, operation, request.variables);
          if (problems.length > 0) throw readArgumentsError(problems);
        },
      };
    },
  };
};

/** The one BAD_USER_INPUT error listing every problem of an operation's read arguments. */
const readArgumentsError = (problems: readonly Problem[]): GraphQLError =>
  new GraphQLError(
    `Invalid arguments: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
    {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 }, problems },
    },
  );

/**
 * The same check for operations that arrive over graphql-ws (no Apollo plugins there): the errors to
 * refuse a subscribe message with, or none. A document that does not parse is left to graphql-ws.
 */
export const readArgumentsCheck = (neo4jSchema: GraphQLSchema, schema: GraphQLSchema) => {
  const generated = generatedReadFields(neo4jSchema);
  return (payload: {
    readonly query: string;
    readonly operationName?: string | null | undefined;
    readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  }): GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, graphqlParseOptions);
    } catch {
      return [];
    }
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) return [];
    const problems = readArgumentProblems(schema, generated, document, operation, payload.variables ?? undefined);
    return problems.length > 0 ? [readArgumentsError(problems)] : [];
  };
};
