import { buildNeo4jSchema } from '@ai-org/schema';
import { lexicographicSortSchema, printSchema } from 'graphql';
import neo4j from 'neo4j-driver';
import { composeSchema } from './compose';

export const schemaFile = new URL('../../../schema/schema.graphql', import.meta.url);

/**
 * The composed SDL, sorted, exactly as committed in schema/schema.graphql. Building the schema
 * needs no running database: the driver is only handed over, never connected.
 */
export const printComposedSchema = async (): Promise<string> => {
  const driver = neo4j.driver('bolt://127.0.0.1:1');
  try {
    const schema = composeSchema(await buildNeo4jSchema(driver));
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await driver.close();
  }
};
