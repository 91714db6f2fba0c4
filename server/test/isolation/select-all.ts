import {
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { hasRequiredArgs } from './schema-surface';
import type { Selection } from './selection-tree';

export interface SelectionOptions {
  /** The stored types; each one entered counts as one level of traversal. */
  readonly nodeTypes: readonly string[];
  /** Stored-type levels to read (2: the root's nodes and the nodes related to them). */
  readonly maxNodeDepth: number;
  /** Deepest selection the API accepts (its depth limit): deeper fields are read through shorter paths. */
  readonly maxSelectionDepth: number;
  /** Receives every `Type.field` the selection reads, to prove coverage. */
  readonly visited: Set<string>;
}

/**
 * Every field a type offers (fields with required arguments aside), following relationships and
 * connections down to `maxNodeDepth` stored types: all a caller can reach from a root field, nested
 * traversals, connections, edges and aggregates included.
 */
export const selectAll = (
  type: GraphQLObjectType,
  options: SelectionOptions,
  { nodeDepth, selectionDepth }: { nodeDepth: number; selectionDepth: number },
): Selection[] => {
  const depth = options.nodeTypes.includes(type.name) ? nodeDepth + 1 : nodeDepth;
  return Object.values(type.getFields()).flatMap((field): Selection[] => {
    if (hasRequiredArgs(field) || selectionDepth + 1 > options.maxSelectionDepth) return [];
    const target = getNamedType(field.type);
    if (isLeafType(target)) {
      options.visited.add(`${type.name}.${field.name}`);
      return [{ head: field.name, children: [] }];
    }
    if (!isObjectType(target)) return [];
    if (options.nodeTypes.includes(target.name) && depth >= options.maxNodeDepth) return [];
    const children = selectAll(target, options, { nodeDepth: depth, selectionDepth: selectionDepth + 1 });
    if (children.length === 0) return [];
    options.visited.add(`${type.name}.${field.name}`);
    return [{ head: field.name, children }];
  });
};

/**
 * `{ <field> <everything below it> }` for a root query field: without required arguments, or with
 * exactly the required arguments `args` supplies (e.g. `workspace(goalId:)` with the probed goal).
 */
export const fullReadOf = (
  schema: GraphQLSchema,
  field: string,
  options: SelectionOptions,
  args: Readonly<Record<string, string>> = {},
): Selection | undefined => {
  const root = schema.getQueryType()?.getFields()[field];
  if (!root) return undefined;
  const required = root.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  if (required.some((arg) => args[arg.name] === undefined)) return undefined;
  const given = required.map((arg) => `${arg.name}: ${JSON.stringify(args[arg.name])}`);
  const head = given.length === 0 ? field : `${field}(${given.join(', ')})`;
  const target = getNamedType(root.type);
  options.visited.add(`Query.${field}`);
  if (isLeafType(target)) return { head, children: [] };
  return isObjectType(target)
    ? { head, children: selectAll(target, options, { nodeDepth: 0, selectionDepth: 1 }) }
    : undefined;
};
