import { existsSync } from 'node:fs';
import { loadConfig, stopOnSignals } from '@ai-org/core';
import { buildApp } from './app';
import { authModeBanner } from './auth/auth-mode';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const app = await buildApp(config);
const { graphqlUrl } = await app.start();
console.log(`AI-Org API ready at ${graphqlUrl}\n  Identity: ${authModeBanner(config)}`);
stopOnSignals(app.stop, { onSignal: (signal) => console.log(`${signal}: shutting down`) });
