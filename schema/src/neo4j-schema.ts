import { Neo4jGraphQL } from '@neo4j/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { typeDefs } from './type-defs';

/**
 * The generated schema (reads, aggregates, connections) of the stored types, bound to a driver. The
 * database is chosen per request (`sessionConfig` in the context): @neo4j/graphql 7 has no setting here.
 */
export const buildNeo4jSchema = (driver: Driver): Promise<GraphQLSchema> =>
  new Neo4jGraphQL({ typeDefs, driver }).getSchema();
