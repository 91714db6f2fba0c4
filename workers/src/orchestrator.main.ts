import { existsSync } from 'node:fs';
import { loadConfig, stopOnSignals } from '@ai-org/core';
import { buildOrchestrator } from './orchestrator/orchestrator';

if (existsSync('.env')) process.loadEnvFile('.env');
const orchestrator = buildOrchestrator(loadConfig(process.env));
await orchestrator.start();
stopOnSignals(orchestrator.stop);
