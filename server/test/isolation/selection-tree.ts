import { type GraphQLSchema, parse, validate } from 'graphql';
import { graphqlParseOptions, limitValidationRules } from '../../src/limits/graphql-limits';

/** One field of a selection: `head` is what precedes its braces (`tasks`, `f3: tasks(where: $w3)`). */
export interface Selection {
  readonly head: string;
  readonly children: readonly Selection[];
}

/** A read before it is cut to the API's document limits. */
export interface Operation {
  readonly name: string;
  readonly roots: readonly Selection[];
  /** Variable name → GraphQL type and value; only the ones a piece uses are declared in it. */
  readonly variables?: Readonly<Record<string, { readonly type: string; readonly value: unknown }>>;
  readonly covers: readonly string[];
}

export interface Request {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly covers: readonly string[];
}

const renderSelection = (selection: Selection): string =>
  selection.children.length === 0
    ? selection.head
    : `${selection.head} { ${selection.children.map(renderSelection).join(' ')} }`;

const render = (operation: Operation, roots: readonly Selection[]): Omit<Request, 'name' | 'covers'> => {
  const body = roots.map(renderSelection).join(' ');
  const used = Object.entries(operation.variables ?? {}).filter(([name]) => new RegExp(`\\$${name}\\b`).test(body));
  if (used.length === 0) return { query: `{ ${body} }` };
  const definitions = used.map(([name, { type }]) => `$${name}: ${type}`).join(', ');
  return {
    query: `query(${definitions}) { ${body} }`,
    variables: Object.fromEntries(used.map(([name, { value }]) => [name, value])),
  };
};

/** True when the API's depth, alias, directive, token and cost limits accept the document. */
export const withinLimits =
  (schema: GraphQLSchema) =>
  (query: string): boolean => {
    try {
      return validate(schema, parse(query, graphqlParseOptions), limitValidationRules).length === 0;
    } catch {
      return false;
    }
  };

/**
 * Cuts `node` (reached through `path`) into pieces that each fit, together covering every field of it.
 * Pieces of one node are merged back greedily while they still fit. A single field that cannot fit is
 * kept as it is, so the API's refusal shows up in the test rather than the field silently going untested.
 */
const cut = (node: Selection, wrap: (piece: Selection) => boolean): Selection[] => {
  if (wrap(node) || node.children.length === 0) return [node];
  const leaves = node.children.filter((child) => child.children.length === 0);
  const id = leaves.filter((leaf) => leaf.head === 'id');
  const pieces: Selection[] = leaves.length > 0 ? [{ head: node.head, children: leaves }] : [];
  for (const branch of node.children.filter((child) => child.children.length > 0)) {
    const inner = cut(branch, (piece) => wrap({ head: node.head, children: [...id, piece] }));
    for (const piece of inner) pieces.push({ head: node.head, children: [...id, piece] });
  }
  const merged: Selection[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    const union = last && {
      head: node.head,
      children: [...last.children, ...piece.children.filter((child) => !last.children.includes(child))],
    };
    if (last && union && wrap(union)) merged[merged.length - 1] = union;
    else merged.push(piece);
  }
  return merged;
};

/** The operation as requests the API accepts (as few as the limits allow). */
export const fitToLimits = (operation: Operation, fits: (query: string) => boolean): Request[] => {
  const root: Selection = { head: '', children: operation.roots };
  const wrap = (piece: Selection) => fits(render(operation, piece.children).query);
  const pieces = cut(root, wrap);
  return pieces.map((piece, index) => ({
    name: pieces.length === 1 ? operation.name : `${operation.name} (part ${index + 1})`,
    covers: operation.covers,
    ...render(operation, piece.children),
  }));
};
