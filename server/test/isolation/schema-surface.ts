import { buildNeo4jSchema } from '@ai-org/schema';
import {
  type GraphQLField,
  type GraphQLInputObjectType,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import neo4j from 'neo4j-driver';
import { composeSchema } from '../../src/graphql/compose';

/** The public schema exactly as the app composes it (the driver is handed over, never connected). */
export const loadComposedSchema = async (): Promise<GraphQLSchema> => {
  const driver = neo4j.driver('bolt://127.0.0.1:1');
  try {
    return composeSchema(await buildNeo4jSchema(driver));
  } finally {
    await driver.close();
  }
};

export const quantifiers = ['some', 'all', 'none', 'single'] as const;
export type Quantifier = (typeof quantifiers)[number];

/**
 * One way a `where` can reach through a relationship. `relationship`: `dependsOn: { some: … }`;
 * `connection`: `dependsOnConnection: { some: { node: … } }`; `connection-aggregate`:
 * `dependsOnConnection: { aggregate: { count: … } }`; `legacy`: `dependsOn_SOME: …` or
 * `dependsOnConnection_SOME: { node: … }`; `legacy-aggregate`: `dependsOnAggregate: { count: … }`.
 */
export interface RelationshipFilter {
  readonly key: string;
  readonly whereType: string;
  readonly field: string;
  readonly form: 'relationship' | 'connection' | 'connection-aggregate' | 'legacy' | 'legacy-aggregate';
  readonly quantifier?: Quantifier;
  /** The Where type of the related node (TaskWhere, ArtifactWhere …); absent for aggregate forms. */
  readonly nodeWhere?: string;
  /** The filter sits on a connection edge (`{ node: … }` around the node filter). */
  readonly viaEdge?: boolean;
}

/** A generated root read: a list (`tasks`) or a connection (`tasksConnection`) of one stored type. */
export interface GeneratedRead {
  readonly field: string;
  readonly kind: 'list' | 'connection';
  readonly nodeType: string;
  readonly whereType: string;
}

export interface SchemaSurface {
  readonly roots: { readonly query: string[]; readonly mutation: string[]; readonly subscription: string[] };
  readonly generatedReads: GeneratedRead[];
  /** The stored types (`@node`) the generated reads serve. */
  readonly nodeTypes: string[];
  /** `Type.field` of every field returning a connection (root or nested). */
  readonly connections: string[];
  /** `Type.field` of every aggregate selection (`aggregate` on connections). */
  readonly aggregates: string[];
  readonly relationshipFilters: RelationshipFilter[];
  /** `ConnectionSort.node.field`: every sort by a field of the related node. */
  readonly relatedSorts: string[];
}

const fieldNames = (type: GraphQLObjectType | null | undefined): string[] =>
  type ? Object.keys(type.getFields()).sort() : [];

const inputField = (type: GraphQLInputObjectType, name: string) => type.getFields()[name];

const namedInput = (schema: GraphQLSchema, name: string): GraphQLInputObjectType | undefined => {
  const type = schema.getType(name);
  return isInputObjectType(type) ? type : undefined;
};

/** The node Where inside a connection Where (`{ node: TaskWhere }`), or the type itself for a node Where. */
const nodeWhereOf = (schema: GraphQLSchema, typeName: string): { nodeWhere: string; viaEdge: boolean } => {
  const type = namedInput(schema, typeName);
  const node = type && inputField(type, 'node');
  return node ? { nodeWhere: getNamedType(node.type).name, viaEdge: true } : { nodeWhere: typeName, viaEdge: false };
};

const filtersOf = (schema: GraphQLSchema, where: GraphQLInputObjectType): RelationshipFilter[] =>
  Object.values(where.getFields()).flatMap((field): RelationshipFilter[] => {
    const typeName = getNamedType(field.type).name;
    const base = { whereType: where.name, field: field.name };
    const legacy = /_(SOME|ALL|NONE|SINGLE)$/.exec(field.name);
    if (legacy?.[1]) {
      const quantifier = legacy[1].toLowerCase() as Quantifier;
      return [
        { ...base, key: `${where.name}.${field.name}`, form: 'legacy', quantifier, ...nodeWhereOf(schema, typeName) },
      ];
    }
    if (typeName.endsWith('AggregateInput') && field.name.endsWith('Aggregate')) {
      return [{ ...base, key: `${where.name}.${field.name}`, form: 'legacy-aggregate' }];
    }
    const filters = namedInput(schema, typeName);
    if (!filters || !(typeName.endsWith('RelationshipFilters') || typeName.endsWith('ConnectionFilters'))) return [];
    const connection = typeName.endsWith('ConnectionFilters');
    const quantified = quantifiers
      .filter((q) => inputField(filters, q))
      .map((quantifier): RelationshipFilter => {
        const target = getNamedType(inputField(filters, quantifier)?.type ?? field.type).name;
        return {
          ...base,
          key: `${where.name}.${field.name}.${quantifier}`,
          form: connection ? 'connection' : 'relationship',
          quantifier,
          ...nodeWhereOf(schema, target),
        };
      });
    const aggregate: RelationshipFilter[] = inputField(filters, 'aggregate')
      ? [{ ...base, key: `${where.name}.${field.name}.aggregate`, form: 'connection-aggregate' }]
      : [];
    return [...quantified, ...aggregate];
  });

const isConnectionField = (field: GraphQLField<unknown, unknown>): boolean => {
  const type = getNamedType(field.type);
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
};

/** Enumerates, from the composed schema, everything the isolation suite must cover. */
export const describeSurface = (schema: GraphQLSchema): SchemaSurface => {
  const query = schema.getQueryType();
  const generatedReads: GeneratedRead[] = Object.values(query?.getFields() ?? {}).flatMap((field) => {
    const where = field.args.find((arg) => arg.name === 'where');
    if (!where) return [];
    const whereType = getNamedType(where.type).name;
    const nodeType = whereType.replace(/Where$/, '');
    return [{ field: field.name, kind: isConnectionField(field) ? 'connection' : 'list', nodeType, whereType }];
  });
  const nodeTypes = [...new Set(generatedReads.map((read) => read.nodeType))].sort();

  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => type instanceof GraphQLObjectType && !type.name.startsWith('__'),
  );
  const connections = objectTypes.flatMap((type) =>
    Object.values(type.getFields())
      .filter(isConnectionField)
      .map((field) => `${type.name}.${field.name}`),
  );
  const aggregates = objectTypes.flatMap((type) =>
    Object.values(type.getFields())
      .filter((field) => field.name === 'aggregate' || /Aggregate(Selection)?$/.test(getNamedType(field.type).name))
      .map((field) => `${type.name}.${field.name}`),
  );
  const wheres = nodeTypes.map((name) => namedInput(schema, `${name}Where`)).filter((type) => type !== undefined);
  const relationshipFilters = wheres.flatMap((where) => filtersOf(schema, where));
  const relatedSorts = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLInputObjectType => isInputObjectType(type) && type.name.endsWith('ConnectionSort'))
    .flatMap((sort) =>
      Object.values(sort.getFields()).flatMap((edge) => {
        const inner = getNamedType(edge.type);
        return isInputObjectType(inner)
          ? Object.keys(inner.getFields()).map((name) => `${sort.name}.${edge.name}.${name}`)
          : [];
      }),
    );

  return {
    roots: {
      query: fieldNames(query),
      mutation: fieldNames(schema.getMutationType()),
      subscription: fieldNames(schema.getSubscriptionType()),
    },
    generatedReads,
    nodeTypes,
    connections: connections.sort(),
    aggregates: aggregates.sort(),
    relationshipFilters,
    relatedSorts: relatedSorts.sort(),
  };
};

/** Every root field, as `query.tasks`, `mutation.createTask`, `subscription.events`. */
export const rootFieldKeys = (surface: SchemaSurface): string[] =>
  (['query', 'mutation', 'subscription'] as const).flatMap((kind) =>
    surface.roots[kind].map((name) => `${kind}.${name}`),
  );

export const hasRequiredArgs = (field: GraphQLField<unknown, unknown>): boolean =>
  field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
