import { Neo4jGraphQL } from '@neo4j/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { typeDefs } from './type-defs';

/** The generated schema (reads, aggregates, connections) of the stored types, bound to a driver. */
export const buildNeo4jSchema = (driver: Driver, database?: string): Promise<GraphQLSchema> =>
  new Neo4jGraphQL({
    typeDefs,
    driver,
    ...(database ? { config: { driverConfig: { database } } } : {}),
  }).getSchema();
