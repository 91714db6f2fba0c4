import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNeo4jDriver, type Neo4jOptions } from '@ai-org/schema';
import { alreadyRunning, isLoopback, type RunningService, spawnService } from './local-service';

const launcher = fileURLToPath(new URL('../neo4j/run.sh', import.meta.url));
const defaultHome = fileURLToPath(new URL('../neo4j/.data', import.meta.url));

/**
 * The bundled Neo4j's home (data/ and logs/): `NEO4J_HOME_DIR` when set (relative to the current
 * directory, as ops/neo4j/run.sh takes it), else ops/neo4j/.data. `npm start`, `npm run services`
 * and the test setup all start Neo4j through ensureNeo4j, so all of them honour it.
 */
export const neo4jHomeDir = (env: Readonly<Record<string, string | undefined>>): string =>
  env.NEO4J_HOME_DIR ? resolve(env.NEO4J_HOME_DIR) : defaultHome;

/** Whether a Neo4j answers a query with these options. */
export const neo4jAnswers = async (options: Neo4jOptions): Promise<boolean> => {
  const driver = createNeo4jDriver(options);
  try {
    await driver.executeQuery('RETURN 1');
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
};

/**
 * Makes sure Neo4j answers on `uri`. When nothing does and the URI is on this machine, starts the
 * embedded Neo4j 5.26 + APOC from ops/neo4j (building it with Maven on first use).
 */
export const ensureNeo4j = async (
  options: Neo4jOptions,
  homeDir = neo4jHomeDir(process.env),
): Promise<RunningService> => {
  if (await neo4jAnswers(options)) return alreadyRunning('Neo4j');
  const { hostname, port } = new URL(options.uri.replace(/^[a-z+]+:/, 'http:'));
  if (!isLoopback(hostname)) {
    throw new Error(`Neo4j does not answer at ${options.uri}; start it or point NEO4J_URI elsewhere`);
  }
  console.log(`Neo4j: nothing answers at ${options.uri}, starting the local server (first run builds it with Maven)…`);
  return spawnService({
    name: 'Neo4j',
    command: 'bash',
    args: [launcher],
    env: { NEO4J_BOLT_LISTEN: `${hostname}:${port || '7687'}`, NEO4J_HOME_DIR: homeDir },
    logFile: `${homeDir}/launcher.log`,
    ready: () => neo4jAnswers(options),
    timeoutMs: 600_000,
  });
};
