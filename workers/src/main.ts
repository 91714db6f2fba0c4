import { existsSync } from 'node:fs';
import { loadConfig, stopOnSignals } from '@ai-org/core';
import { buildWorkers } from './app';

if (existsSync('.env')) process.loadEnvFile('.env');
const workers = buildWorkers(loadConfig(process.env));
await workers.start();
stopOnSignals(workers.stop);
