import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printComposedSchema, schemaFile } from './print-schema';

describe('schema/schema.graphql', () => {
  it('matches the composed schema (run `npm run schema:print` after changing the schema)', async () => {
    expect(await printComposedSchema()).toBe(readFileSync(schemaFile, 'utf8'));
  });
});
