import type { Driver } from 'neo4j-driver';

/**
 * Constraints and indexes, created idempotently at start (`npm run migrate`). @neo4j/graphql 7 no
 * longer creates them, so the graph's invariants that Neo4j can enforce live here.
 */
export const migrations: readonly string[] = [
  'CREATE CONSTRAINT tenant_id IF NOT EXISTS FOR (t:Tenant) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT task_id IF NOT EXISTS FOR (t:Task) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT artifact_id IF NOT EXISTS FOR (a:Artifact) REQUIRE a.id IS UNIQUE',
  'CREATE CONSTRAINT artifact_dispatch IF NOT EXISTS FOR (a:Artifact) REQUIRE a.dispatchId IS UNIQUE',
  'CREATE CONSTRAINT ledger_entry_id IF NOT EXISTS FOR (e:LedgerEntry) REQUIRE e.id IS UNIQUE',
  'CREATE CONSTRAINT top_up_session IF NOT EXISTS FOR (t:TopUp) REQUIRE t.sessionId IS UNIQUE',
  'CREATE INDEX top_up_tenant IF NOT EXISTS FOR (t:TopUp) ON (t.tenantId)',
  'CREATE INDEX top_up_payment_intent IF NOT EXISTS FOR (t:TopUp) ON (t.paymentIntentId)',
  'CREATE CONSTRAINT billing_account_tenant IF NOT EXISTS FOR (a:BillingAccount) REQUIRE a.tenantId IS UNIQUE',
  'CREATE INDEX ledger_tenant IF NOT EXISTS FOR (e:LedgerEntry) ON (e.tenantId)',
  // Usage statements read a tenant's entries over a period.
  'CREATE INDEX ledger_tenant_created IF NOT EXISTS FOR (e:LedgerEntry) ON (e.tenantId, e.createdAt)',
  'CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (g:Goal) REQUIRE g.id IS UNIQUE',
  'CREATE INDEX goal_tenant_status IF NOT EXISTS FOR (g:Goal) ON (g.tenantId, g.status)',
  'CREATE INDEX task_tenant_status IF NOT EXISTS FOR (t:Task) ON (t.tenantId, t.status)',
  // A composite index serves only queries with a predicate on each of its properties: a tenant's whole
  // graph (`(t:Task {tenantId: …})`) would otherwise scan every tenant's tasks.
  'CREATE INDEX task_tenant IF NOT EXISTS FOR (t:Task) ON (t.tenantId)',
  'CREATE INDEX artifact_tenant IF NOT EXISTS FOR (a:Artifact) ON (a.tenantId)',
  'CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE',
  'CREATE INDEX webhook_tenant IF NOT EXISTS FOR (w:Webhook) ON (w.tenantId)',
  'CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
  'CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE',
  'CREATE INDEX api_key_tenant IF NOT EXISTS FOR (k:ApiKey) ON (k.tenantId)',
  'CREATE CONSTRAINT workspace_id IF NOT EXISTS FOR (w:Workspace) REQUIRE w.id IS UNIQUE',
  'CREATE INDEX workspace_tenant_goal IF NOT EXISTS FOR (w:Workspace) ON (w.tenantId, w.goalId)',
  'CREATE CONSTRAINT agent_step_key IF NOT EXISTS FOR (s:AgentStep) REQUIRE s.key IS UNIQUE',
  'CREATE INDEX agent_step_dispatch IF NOT EXISTS FOR (s:AgentStep) ON (s.tenantId, s.dispatchId)',
  'CREATE CONSTRAINT test_run_id IF NOT EXISTS FOR (r:TestRun) REQUIRE r.id IS UNIQUE',
  'CREATE CONSTRAINT merge_id IF NOT EXISTS FOR (m:Merge) REQUIRE m.id IS UNIQUE',
  'CREATE CONSTRAINT release_id IF NOT EXISTS FOR (r:Release) REQUIRE r.id IS UNIQUE',
];

export const migrate = async (driver: Driver, database?: string): Promise<void> => {
  for (const statement of migrations) {
    await driver.executeQuery(statement, {}, { database });
  }
  await driver.executeQuery('CALL db.awaitIndexes(60)', {}, { database });
};
