import type { AuthMode } from '@ai-org/core';
import { mergeSchemas } from '@graphql-tools/schema';
import { type GraphQLSchema, specifiedScalarTypes } from 'graphql';
import { addAccessSchema } from './access.schema';
import { addBillingSchema } from './billing.schema';
import { addBudgetSchema } from './budget.schema';
import { createBuilder } from './builder';
import { addDispatchSchema } from './dispatch.schema';
import { addInspectionSchema } from './inspection.schema';
import { addLimitsSchema } from './limits.schema';
import { addLiveSchema } from './live.schema';
import { addNotificationSchema } from './notification.schema';
import { addPlanApprovalSchema } from './plan-approval.schema';
import { addTaskSchema } from './task.schema';
import { addUsageSchema } from './usage.schema';
import { addWorkspaceSchema } from './workspace.schema';

/** Types the custom schema deliberately shares with the generated one. */
const sharedTypeNames = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'DateTime',
  'TaskStatus',
  ...specifiedScalarTypes.map((scalar) => scalar.name),
]);

/**
 * mergeSchemas silently fuses two types of the same name (a Pothos `DependencyEdge` once gained the
 * generated connection edge's fields that way), so any other overlap is a programming error.
 */
const assertNoClashes = (generated: GraphQLSchema, custom: GraphQLSchema): void => {
  const clashes = Object.keys(custom.getTypeMap()).filter(
    (name) => !name.startsWith('__') && !sharedTypeNames.has(name) && generated.getType(name) !== undefined,
  );
  if (clashes.length > 0) {
    throw new Error(`Custom GraphQL types clash with generated Neo4j types: ${clashes.join(', ')}`);
  }
};

/**
 * The one place where the generated Neo4j schema (stored types, reads) and the Pothos schema
 * (custom operations) meet. Returns the public schema.
 */
export const composeSchema = (
  neo4jSchema: GraphQLSchema,
  { authMode = 'development' }: { readonly authMode?: AuthMode } = {},
): GraphQLSchema => {
  const builder = createBuilder(neo4jSchema);
  addAccessSchema(builder, authMode);
  const { TaskGraphRef } = addTaskSchema(builder, neo4jSchema);
  const { BudgetRef } = addBudgetSchema(builder);
  addDispatchSchema(builder);
  addInspectionSchema(builder);
  addLiveSchema(builder, { TaskGraphRef, BudgetRef });
  addNotificationSchema(builder);
  addWorkspaceSchema(builder);
  addBillingSchema(builder);
  addPlanApprovalSchema(builder);
  addLimitsSchema(builder);
  addUsageSchema(builder);
  const custom = builder.toSchema({ sortSchema: false });
  assertNoClashes(neo4jSchema, custom);
  return mergeSchemas({ schemas: [neo4jSchema, custom] });
};
