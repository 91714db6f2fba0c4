import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRedisClient, loadConfig, redactConfig, stopOnSignals } from '@ai-org/core';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { authModeBanner, buildApp } from '@ai-org/server';
import { createServer as createViteServer } from 'vite';
import type { RunningService } from './local-service';
import { ensureNeo4j } from './neo4j.service';
import { ensureRedis } from './redis.service';
import { seedDemo } from './seed';
import { seedDeps } from './seed-deps';

/**
 * `npm start`: starts Neo4j and Redis when absent, migrates, seeds the demo tenant when it is
 * empty, starts the API and prints its URLs. Ctrl-C stops the API, then what this script started.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const started: RunningService[] = [];
const stopStarted = async () => {
  for (const service of started.reverse().filter((s) => s.startedHere)) {
    console.log(`stopping ${service.name}…`);
    await service.stop();
  }
};

try {
  // A configured Redis Cluster is the operator's to run; only a single local Redis is started here.
  if (config.redis.clusterNodes === undefined) started.push(await ensureRedis(config.redis.url));
  started.push(await ensureNeo4j(config.neo4j));
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis, 'worker', 'ai-org-seed');
  try {
    await redis.connect();
    await migrate(driver, config.neo4j.database);
    const demo = config.defaultTenant ?? 'demo';
    const outcome = await seedDemo(seedDeps(config, driver, redis), demo);
    console.log(outcome === 'seeded' ? `seeded the "${demo}" tenant` : `"${demo}" tenant already seeded`);
  } finally {
    redis.disconnect();
    await driver.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopStarted();
  process.exit(1);
}

const app = await buildApp(config);
const { url, graphqlUrl, wsUrl } = await app.start();
// The role workers and the orchestrator are their own processes (`npm run workers`,
// `npm run orchestrator`), as in production.
// Each has an IPC channel to this process only so that it stops when this one goes, however it dies.
const spawnProcess = (entry: string): { child: ChildProcess; exited: Promise<void> } => {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: process.env,
  });
  return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
};
const processes = [spawnProcess('workers/src/main.ts'), spawnProcess('workers/src/orchestrator.main.ts')];
// The web app, from source through Vite's dev server; it proxies /graphql (HTTP and WebSocket) to the API.
process.env.AI_ORG_API_URL = url;
const web = await createViteServer({ root: 'web', logLevel: 'warn', server: { host: config.http.host, port: 5173 } });
await web.listen();
const webUrl = web.resolvedUrls?.local[0] ?? `http://${config.http.host}:5173/`;
console.log(
  [
    '',
    'AI-Org is up',
    `  Web dashboard: ${webUrl}`,
    `  GraphQL (HTTP + GraphiQL/Sandbox): ${graphqlUrl}`,
    `  Identity: ${authModeBanner(config)}`,
    `  GraphQL subscriptions (graphql-ws): ${wsUrl}`,
    `  REST aliases: ${url}/  ${url}/backlog  ${url}/task  ${url}/api/graph`,
    `  Neo4j (Bolt): ${config.neo4j.uri}   Redis: ${redactConfig(config).redis.url}`,
    `  Role workers: ${config.llm.apiKey ? `LLM ${config.llm.model} at ${config.llm.baseURL ?? 'api.openai.com'}` : 'OFFLINE provider (no OPENAI_API_KEY): artifacts are labelled offline, not model output'}`,
    `  Prometheus metrics: API http://${config.http.host}:${config.http.metricsPort}/metrics, role workers :${config.workers.metricsPort}, orchestrator :${config.orchestrator.metricsPort}`,
    '  Prometheus (Debian package) against them: npm run prometheus, then http://127.0.0.1:9090',
    '  Set a goal: npm run plan -- --tenant demo "a CLI that converts CSV to JSON"',
    '  Ctrl-C stops everything this command started.',
    '',
  ].join('\n'),
);

stopOnSignals(
  async () => {
    await web.close();
    for (const { child } of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(({ exited }) => exited));
    await app.stop();
    await stopStarted();
  },
  { onSignal: () => console.log('\nshutting down…') },
);
