import { mergeSchemas } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder';
import { addTaskSchema } from './task.schema';

/**
 * The one place where the generated Neo4j schema (stored types, reads) and the Pothos schema
 * (custom operations) meet. Returns the public schema.
 */
export const composeSchema = (neo4jSchema: GraphQLSchema): GraphQLSchema => {
  const builder = createBuilder(neo4jSchema);
  addTaskSchema(builder, neo4jSchema);
  return mergeSchemas({ schemas: [neo4jSchema, builder.toSchema({ sortSchema: false })] });
};
