import { buildNeo4jSchema } from '@ai-org/schema';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSchema } from './compose';

/**
 * Who may call each root field. Custom fields declare it with `authScopes` (Pothos scope-auth); the
 * generated reads are any signed-in tenant role's (their `@authentication` plus the tenant filter in
 * schema/type-defs.graphql). A field added without a declaration, or one whose role changes, fails here.
 */
const expectedRoles: Record<string, string> = {
  // Generated reads: @authentication(operations: [READ, AGGREGATE]) and the $jwt.tenant filter.
  'Query.artifacts': 'generated: viewer',
  'Query.artifactsConnection': 'generated: viewer',
  'Query.goals': 'generated: viewer',
  'Query.goalsConnection': 'generated: viewer',
  'Query.ledgerEntries': 'generated: viewer',
  'Query.ledgerEntriesConnection': 'generated: viewer',
  'Query.tasks': 'generated: viewer',
  'Query.tasksConnection': 'generated: viewer',
  'Query.tenants': 'generated: viewer',
  'Query.tenantsConnection': 'generated: viewer',
  'Query.me': 'authenticated',
  'Query.backlog': 'viewer',
  'Query.billing': 'viewer',
  'Query.budget': 'viewer',
  'Query.budgetForecast': 'viewer',
  'Query.inspection': 'viewer',
  'Query.liveSnapshot': 'viewer',
  'Query.planApproval': 'viewer',
  'Query.spendApproval': 'viewer',
  'Query.taskGraph': 'viewer',
  'Query.usage': 'viewer',
  'Query.tenantLimits': 'viewer',
  'Query.apiKeys': 'owner',
  'Query.webhooks': 'owner',
  'Query.workspace': 'member',
  'Query.workspaces': 'member',
  'Subscription.events': 'viewer',
  'Mutation.addDependency': 'member',
  'Mutation.createPlan': 'member',
  'Mutation.createTask': 'member',
  'Mutation.dispatchReadyTasks': 'member',
  'Mutation.dispatchTask': 'member',
  'Mutation.removeDependency': 'member',
  'Mutation.setGoal': 'member',
  'Mutation.setTaskStatus': 'member',
  'Mutation.addWebhook': 'owner',
  'Mutation.createTopUpCheckout': 'owner',
  'Mutation.setAutoReload': 'owner',
  'Mutation.setMonthlySpendCap': 'owner',
  'Mutation.approvePlan': 'owner',
  'Mutation.rejectPlan': 'owner',
  'Mutation.setSpendApproval': 'owner',
  'Mutation.createApiKey': 'owner',
  'Mutation.removeWebhook': 'owner',
  'Mutation.revokeApiKey': 'owner',
  'Mutation.setTenantLimits': 'owner',
  'Mutation.testWebhook': 'owner',
  'Mutation.createTenant': 'platform admin',
  'Mutation.setBudget': 'platform admin',
  'Mutation.topUpBudget': 'platform admin',
};

type Scopes = { authenticated?: boolean; tenantRole?: string; platformAdmin?: boolean };

const declaredRole = (type: GraphQLObjectType, name: string): string => {
  const field = type.getFields()[name];
  const options = field?.extensions?.pothosOptions as { authScopes?: Scopes } | undefined;
  if (!options) return type.name === 'Query' ? 'generated: viewer' : 'generated: NOT ALLOWED';
  const scopes = options.authScopes;
  if (!scopes) return 'NONE DECLARED';
  const declared = [
    scopes.tenantRole,
    scopes.platformAdmin ? 'platform admin' : undefined,
    scopes.authenticated ? 'authenticated' : undefined,
  ].filter((value) => value !== undefined);
  return declared.length === 1 ? (declared[0] as string) : `AMBIGUOUS ${JSON.stringify(scopes)}`;
};

describe('root fields', () => {
  const driver = neo4j.driver('bolt://127.0.0.1:1');
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = composeSchema(await buildNeo4jSchema(driver));
  });
  afterAll(() => driver.close());

  it('each declare the one role they need, as listed here', () => {
    const actual: Record<string, string> = {};
    for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (!type) continue;
      for (const name of Object.keys(type.getFields())) actual[`${type.name}.${name}`] = declaredRole(type, name);
    }
    expect(actual).toEqual(expectedRoles);
  });
});
