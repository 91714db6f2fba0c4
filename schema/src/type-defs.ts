import { readFileSync } from 'node:fs';

/** The @neo4j/graphql type definitions of the stored node types (Tenant, Task, Artifact). */
export const typeDefs: string = readFileSync(new URL('../type-defs.graphql', import.meta.url), 'utf8');
