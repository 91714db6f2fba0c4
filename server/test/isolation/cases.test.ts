import { beforeAll, describe, expect, it } from 'vitest';
import { isolationCases } from './cases';
import { describeSurface, loadComposedSchema, rootFieldKeys, type SchemaSurface } from './schema-surface';

describe('the isolation cases', () => {
  let surface: SchemaSurface;
  beforeAll(async () => {
    surface = describeSurface(await loadComposedSchema());
  });

  it('have exactly one case per root field of the schema, of the right kind', () => {
    const schemaFields = rootFieldKeys(surface).sort();
    const caseFields = Object.entries(isolationCases)
      .map(([name, isolationCase]) => `${isolationCase.kind}.${name}`)
      .sort();
    // Named both ways, so a failure says which field lacks a case and which case lost its field.
    expect({ withoutCase: schemaFields.filter((field) => !caseFields.includes(field)) }).toEqual({ withoutCase: [] });
    expect({ withoutField: caseFields.filter((field) => !schemaFields.includes(field)) }).toEqual({ withoutField: [] });
  });

  it('find relationship filters, connections, aggregates and related sorts in the schema to cover', () => {
    expect(surface.generatedReads.length).toBeGreaterThan(0);
    expect(surface.relationshipFilters.map((filter) => filter.key)).toContain('TaskWhere.dependsOn.some');
    expect(surface.connections).toContain('Task.dependsOnConnection');
    expect(surface.aggregates).toContain('TasksConnection.aggregate');
    expect(surface.relatedSorts).toContain('TaskDependsOnConnectionSort.node.businessValue');
  });
});
