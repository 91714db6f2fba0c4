import { existsSync } from 'node:fs';
import { loadConfig } from '@ai-org/core';
import { buildApp } from './app';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const app = await buildApp(config);
const { graphqlUrl } = await app.start();
console.log(`AI-Org API ready at ${graphqlUrl}`);

const shutdown = async (signal: string) => {
  console.log(`${signal}: shutting down`);
  await app.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
