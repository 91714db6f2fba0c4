import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, parseInput } from '@ai-org/core';
import { GoalService, tenantIdSchema } from '@ai-org/domain';
import { createNeo4jDriver, GoalRepository } from '@ai-org/schema';

/**
 * `npm run plan -- --tenant demo "a CLI that converts CSV to JSON"`: sets the tenant's goal. The
 * orchestrator (started by `npm start`) plans it as soon as the tenant's backlog is empty.
 */
const { values, positionals } = parseArgs({
  options: { tenant: { type: 'string', default: 'demo' } },
  allowPositionals: true,
});
const tenantId = parseInput(tenantIdSchema, values.tenant, '--tenant');
const text = positionals.join(' ');
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const driver = createNeo4jDriver(config.neo4j);
try {
  const goal = await new GoalService(new GoalRepository(driver, config.neo4j.database)).create(tenantId, text);
  console.log(`goal ${goal.id} set for tenant "${tenantId}": ${goal.text}`);
  console.log('The orchestrator plans it once the backlog is empty; watch its tick lines or the task graph.');
  console.log(
    `Agents build it in the goal's workspace; once every task is done it is released: the Workspace page ` +
      `(#/workspace/${goal.id}) or GraphQL workspace(goalId: "${goal.id}") gives the download links.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await driver.close();
}
