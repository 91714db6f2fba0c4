import { type TaskField, taskFields } from '@ai-org/schema';
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/** Each field of the GraphQL `TaskRecord` type and the TaskRecord field it exposes (see task.schema.ts). */
export const recordFieldOfTaskRecord: Readonly<Record<string, TaskField>> = {
  id: 'id',
  tenantId: 'tenantId',
  description: 'description',
  status: 'status',
  owner: 'owner',
  businessValue: 'businessValue',
  tokensPlan: 'tokensPlan',
  tokensActual: 'tokensActual',
  purposeRelevance: 'purposeRelevance',
  createdAt: 'createdAt',
  statusReason: 'statusReason',
  dispatchCount: 'dispatchCount',
  version: 'version',
  dependsOnIds: 'dependsOn',
};

type Selection = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * The fields selected directly in a selection set, fragments and inline fragments expanded. `@skip` and
 * `@include` are not evaluated: a field they leave out is still counted, which only reads a column more.
 */
const fieldsIn = (set: SelectionSetNode | undefined, fragments: Selection['fragments']): FieldNode[] =>
  (set?.selections ?? []).flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection];
      case Kind.INLINE_FRAGMENT:
        return fieldsIn(selection.selectionSet, fragments);
      case Kind.FRAGMENT_SPREAD:
        // Validation has refused fragment cycles before any resolver runs.
        return fieldsIn(fragments[selection.name.value]?.selectionSet, fragments);
      default:
        return [];
    }
  });

/**
 * The TaskRecord fields a `TaskGraph` selection reads (`nodes { … }`, and `dependsOn` for `edges`), so the
 * graph read fetches only those columns. A field this module does not know (a new one on `TaskRecord`)
 * makes it read every field: never less than the selection needs.
 */
export const taskFieldsSelected = ({ fieldNodes, fragments }: Selection): readonly TaskField[] => {
  const fields = new Set<TaskField>(['id']);
  for (const graphField of fieldNodes.flatMap((node) => fieldsIn(node.selectionSet, fragments))) {
    if (graphField.name.value === 'edges') fields.add('dependsOn');
    if (graphField.name.value !== 'nodes') continue;
    for (const nodeField of fieldsIn(graphField.selectionSet, fragments)) {
      const name = nodeField.name.value;
      if (name === '__typename') continue;
      const field = Object.hasOwn(recordFieldOfTaskRecord, name) ? recordFieldOfTaskRecord[name] : undefined;
      if (field === undefined) return taskFields;
      fields.add(field);
    }
  }
  return [...fields];
};
