import { existsSync } from 'node:fs';
import { loadConfig } from '@ai-org/core';
import { buildOrchestrator } from './orchestrator/orchestrator';

if (existsSync('.env')) process.loadEnvFile('.env');
const orchestrator = buildOrchestrator(loadConfig(process.env));
await orchestrator.start();

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await orchestrator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
