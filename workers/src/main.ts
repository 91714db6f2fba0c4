import { existsSync } from 'node:fs';
import { loadConfig } from '@ai-org/core';
import { buildWorkers } from './app';

if (existsSync('.env')) process.loadEnvFile('.env');
const workers = buildWorkers(loadConfig(process.env));
await workers.start();

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await workers.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
