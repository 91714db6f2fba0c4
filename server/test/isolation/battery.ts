import { type GraphQLSchema, getNamedType, isInputObjectType, isObjectType } from 'graphql';
import { graphqlLimits } from '../../src/limits/graphql-limits';
import type { RelationshipFilter, SchemaSurface } from './schema-surface';
import { fullReadOf } from './select-all';
import { fitToLimits, type Operation, type Request, type Selection, withinLimits } from './selection-tree';
import { usagePeriod } from './usage-period';

export type { Request };

/** Values a probe matches: one tenant's ids and texts per stored type (or unused ones). */
export interface ProbeValues {
  readonly tenantId: string;
  readonly taskId: string;
  readonly taskDescription: string;
  readonly artifactId: string;
  readonly artifactContent: string;
  readonly goalId: string;
  readonly goalText: string;
}

/** The field a probe matches on for each stored type, besides `id` and `tenantId`. */
const probeFields: Readonly<Record<string, readonly [string, keyof ProbeValues, keyof ProbeValues]>> = {
  Task: ['description', 'taskId', 'taskDescription'],
  Artifact: ['content', 'artifactId', 'artifactContent'],
  Goal: ['text', 'goalId', 'goalText'],
};

/**
 * A filter matching the probed tenant's node of a type: by id, by its text, or by its tenant. Asked
 * by another tenant it must match nothing — and above all answer exactly as for unused values.
 */
export const probeWhere = (whereType: string, values: ProbeValues): Record<string, unknown> => {
  const node = whereType.replace(/Where$/, '');
  if (node === 'Tenant') return { id: { eq: values.tenantId } };
  const fields = probeFields[node];
  const byTenant = { tenantId: { eq: values.tenantId } };
  if (!fields) return byTenant;
  const [textField, idKey, textKey] = fields;
  return { OR: [{ id: { eq: values[idKey] } }, { [textField]: { eq: values[textKey] } }, byTenant] };
};

/** The `where` that sends `filter` through a relationship with the probe (or a count for aggregates). */
export const relationshipWhere = (filter: RelationshipFilter, values: ProbeValues): Record<string, unknown> => {
  const node = filter.nodeWhere ? probeWhere(filter.nodeWhere, values) : {};
  const target = filter.viaEdge ? { node } : node;
  switch (filter.form) {
    case 'relationship':
    case 'connection':
      return { [filter.field]: { [filter.quantifier ?? 'some']: target } };
    case 'legacy':
      return { [filter.field]: target };
    case 'connection-aggregate':
      return { [filter.field]: { aggregate: { count: { nodes: { gt: 0 } } } } };
    case 'legacy-aggregate':
      return { [filter.field]: { count: { gt: 0 } } };
  }
};

/** A GraphQL alias naming what it probes: `TaskWhere.dependsOn.some` → `TaskWhere__dependsOn__some`. */
export const aliasOf = (key: string): string => key.replaceAll('.', '__');

const leaf = (head: string): Selection => ({ head, children: [] });
const edgeIds: Selection = { head: 'edges', children: [{ head: 'node', children: [leaf('id')] }] };
const readSelection = (kind: 'list' | 'connection'): Selection[] =>
  kind === 'list'
    ? [leaf('id')]
    : [leaf('totalCount'), edgeIds, { head: 'aggregate', children: [{ head: 'count', children: [leaf('nodes')] }] }];

/** Nested connections reached from a root list: `tasks { dependsOnConnection(sort, where) { … } }`. */
const connectionOperations = (schema: GraphQLSchema, surface: SchemaSurface, values: ProbeValues): Operation[] =>
  surface.generatedReads
    .filter((read) => read.kind === 'list')
    .flatMap((read) => {
      const node = schema.getType(read.nodeType);
      if (!isObjectType(node)) return [];
      return Object.values(node.getFields()).flatMap((field): Operation[] => {
        const sortType = getNamedType(field.args.find((arg) => arg.name === 'sort')?.type ?? field.type);
        const edgeWhere = getNamedType(field.args.find((arg) => arg.name === 'where')?.type ?? field.type);
        if (!isInputObjectType(sortType) || !sortType.name.endsWith('ConnectionSort')) return [];
        const nodeSort = getNamedType(sortType.getFields().node?.type ?? field.type);
        const nodeWhereField = isInputObjectType(edgeWhere) ? edgeWhere.getFields().node : undefined;
        if (!isInputObjectType(nodeSort) || !nodeWhereField) return [];
        const nodeWhere = getNamedType(nodeWhereField.type).name;
        const sortFields = Object.keys(nodeSort.getFields());
        const sorted = sortFields.map(
          (name): Selection => ({
            head: `sort__${name}: ${field.name}(sort: [{ node: { ${name}: DESC } }])`,
            children: [edgeIds],
          }),
        );
        const probed: Selection = {
          head: `probe: ${field.name}(where: { node: $probe })`,
          children: readSelection('connection'),
        };
        return [
          {
            name: `${read.field}.${field.name} sorted by every related field and filtered by the probe`,
            roots: [{ head: read.field, children: [leaf('id'), probed, ...sorted] }],
            variables: { probe: { type: nodeWhere, value: probeWhere(nodeWhere, values) } },
            covers: [`${read.nodeType}.${field.name}`, ...sortFields.map((name) => `${sortType.name}.node.${name}`)],
          },
        ];
      });
    });

/**
 * Every read the schema offers, generated from it and cut to the API's document limits: the full
 * selection of each root query field, each generated read filtered by the probe directly and through
 * every relationship filter, and each nested connection sorted by every related field and filtered.
 * Asked by another tenant, none of its answers may depend on the probed tenant.
 */
export const buildBattery = (schema: GraphQLSchema, surface: SchemaSurface, values: ProbeValues): Request[] => {
  const fullReads = surface.roots.query.flatMap((field): Operation[] => {
    const visited = new Set<string>();
    const root = fullReadOf(
      schema,
      field,
      {
        nodeTypes: surface.nodeTypes,
        maxNodeDepth: 2,
        maxSelectionDepth: graphqlLimits.maxDepth,
        visited,
      },
      // `usage(from:, to:)` reads the period the fixture's charges fall in.
      { goalId: values.goalId, taskId: values.taskId, ...usagePeriod },
    );
    return root ? [{ name: `full read of ${field}`, roots: [root], covers: [...visited] }] : [];
  });
  const filtered = surface.generatedReads.map((read): Operation => {
    const filters = surface.relationshipFilters.filter((filter) => filter.whereType === read.whereType);
    const wheres = [
      { alias: 'probe', key: `Query.${read.field}`, where: probeWhere(read.whereType, values) },
      ...filters.map((filter) => ({
        alias: aliasOf(filter.key),
        key: filter.key,
        where: relationshipWhere(filter, values),
      })),
    ];
    return {
      name: `${read.field} filtered by the probe, directly and through every relationship`,
      roots: wheres.map(({ alias }) => ({
        head: `${alias}: ${read.field}(where: $${alias})`,
        children: readSelection(read.kind),
      })),
      variables: Object.fromEntries(wheres.map(({ alias, where }) => [alias, { type: read.whereType, value: where }])),
      covers: wheres.map(({ key }) => key),
    };
  });
  const fits = withinLimits(schema);
  return [...fullReads, ...filtered, ...connectionOperations(schema, surface, values)].flatMap((operation) =>
    fitToLimits(operation, fits),
  );
};
