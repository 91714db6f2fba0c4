import { readFileSync } from 'node:fs';
import { taskFields } from '@ai-org/schema';
import {
  buildSchema,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaFile } from './print-schema';
import { recordFieldOfTaskRecord, taskFieldsSelected } from './task-graph-selection';

/** What a resolver of `taskGraph` is given for this document: its field node and the fragments. */
const selectionOf = (document: string) => {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const root = operation.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD) throw new Error('expected a field');
  return { fieldNodes: [root], fragments };
};
const sorted = (fields: readonly string[]) => [...fields].sort();

describe('the task fields a taskGraph selection reads', () => {
  it('are the selected node fields and the id, dependsOnIds read as dependsOn', () => {
    expect(sorted(taskFieldsSelected(selectionOf('{ taskGraph { nodes { status dependsOnIds } } }')))).toEqual([
      'dependsOn',
      'id',
      'status',
    ]);
  });

  it('include dependsOn when the edges are selected', () => {
    expect(sorted(taskFieldsSelected(selectionOf('{ taskGraph { nodes { id } edges { from to } } }')))).toEqual([
      'dependsOn',
      'id',
    ]);
  });

  it('follow fragments and inline fragments and ignore __typename', () => {
    const document = `
      { taskGraph { ...Graph } }
      fragment Graph on TaskGraph { nodes { __typename ... on TaskRecord { owner } ...Task } }
      fragment Task on TaskRecord { createdAt }`;
    expect(sorted(taskFieldsSelected(selectionOf(document)))).toEqual(['createdAt', 'id', 'owner']);
  });

  it('are every field when the selection names a field this module does not know', () => {
    expect(taskFieldsSelected(selectionOf('{ taskGraph { nodes { id somethingNew } } }'))).toEqual(taskFields);
  });

  it('know every field of the TaskRecord type, each exposing a TaskRecord field', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const graphqlFields = Object.keys((schema.getType('TaskRecord') as GraphQLObjectType).getFields());
    expect(sorted(Object.keys(recordFieldOfTaskRecord))).toEqual(sorted(graphqlFields));
    for (const field of Object.values(recordFieldOfTaskRecord)) expect(taskFields).toContain(field);
  });
});
