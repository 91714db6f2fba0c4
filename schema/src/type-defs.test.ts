import { type ConstDirectiveNode, Kind, parse, print, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { typeDefs } from './type-defs';

const directives = (name: string): ConstDirectiveNode[] => {
  const found: ConstDirectiveNode[] = [];
  visit(parse(typeDefs), {
    Directive: (node) => {
      if (node.name.value === name) found.push(node as ConstDirectiveNode);
    },
  });
  return found;
};

describe('type definitions', () => {
  it('scope every stored type to the tenant claim with an @authorization filter', () => {
    const ast = parse(typeDefs);
    const stored = ast.definitions.filter(
      (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.directives?.some((dir) => dir.name.value === 'node'),
    );
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (const type of stored) {
      if (type.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      const rule = type.directives?.find((dir) => dir.name.value === 'authorization');
      expect(rule && print(rule), `${type.name.value} is not filtered by tenant`).toMatch(/filter: .*"\$jwt\.tenant"/);
    }
  });

  // @neo4j/graphql 7.6.3 (advisory GHSA-58qp-3mmm-5vh8): an @authentication rule with several JWT
  // claims side by side lets a wrong tenant through; the same rule under `AND: [...]` does not.
  it('put no two JWT claims side by side in an @authentication rule', () => {
    for (const directive of directives('authentication')) {
      const jwt = directive.arguments?.find((arg) => arg.name.value === 'jwt')?.value;
      if (jwt?.kind === Kind.OBJECT) {
        const claims = jwt.fields.filter((field) => !['AND', 'OR', 'NOT'].includes(field.name.value));
        expect(claims.length, 'combine several claims with AND: [...]').toBeLessThanOrEqual(1);
      }
    }
  });
});
