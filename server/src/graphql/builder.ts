import { roleAtLeast, type TenantRole } from '@ai-org/core';
import SchemaBuilder from '@pothos/core';
import AddGraphQLPlugin from '@pothos/plugin-add-graphql';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLScalarType, GraphQLSchema } from 'graphql';
import { unauthorizedError } from '../auth/access';
import type { RequestContext } from '../context';

export interface PothosTypes {
  Context: RequestContext;
  /**
   * Who may call a field, declared on every root field (`authScopes`): any signed-in caller, a tenant
   * role or stronger (viewer < member < owner), or a platform admin. See server/src/auth/access.ts.
   */
  AuthScopes: { authenticated: boolean; tenantRole: TenantRole; platformAdmin: boolean };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string };
    /** The Neo4j schema's own DateTime scalar, reused so the composed schema has exactly one. */
    DateTime: { Input: string; Output: string };
  };
}

/**
 * The Pothos builder for the custom operations. Types both schemas use (DateTime, TaskStatus) come
 * from the generated Neo4j schema rather than being redefined: when the schemas are merged, a
 * same-named type defined twice silently replaces the other.
 */
export const createBuilder = (neo4jSchema: GraphQLSchema) => {
  const builder = new SchemaBuilder<PothosTypes>({
    plugins: [ScopeAuthPlugin, AddGraphQLPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      // A subscription is authorised when it starts, not at each event.
      authorizeOnSubscribe: true,
      authScopes: ({ identity }) => ({
        authenticated: identity !== undefined,
        tenantRole: (needed: TenantRole) =>
          identity?.tenantId != null && identity.role !== null && roleAtLeast(identity.role, needed),
        platformAdmin: identity?.platformAdmin === true,
      }),
      unauthorizedError: (_parent, context, _info, result) => unauthorizedError(context, result.message),
    },
  });
  // Handing Pothos the Neo4j scalar instance itself overflows mergeSchemas' deep merge, so this
  // DateTime delegates every call to it: whichever copy the merge keeps behaves identically.
  const neo4jDateTime = neo4jSchema.getType('DateTime') as GraphQLScalarType;
  builder.scalarType('DateTime', {
    description: neo4jDateTime.description ?? undefined,
    serialize: (value) => neo4jDateTime.serialize(value) as string,
    parseValue: (value) => neo4jDateTime.parseValue(value) as string,
    parseLiteral: (ast) => neo4jDateTime.parseLiteral(ast, undefined) as string,
  });
  builder.queryType({});
  builder.mutationType({});
  return builder;
};

export type Builder = ReturnType<typeof createBuilder>;
