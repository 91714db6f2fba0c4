import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, stopOnSignals } from '@ai-org/core';
import { buildApp } from './app';
import { authModeBanner } from './auth/auth-mode';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const config = loadConfig(process.env);
  const app = await buildApp(config);
  const { graphqlUrl } = await app.start();
  console.log(`AI-Org API ready at ${graphqlUrl}\n  Identity: ${authModeBanner(config)}`);
  stopOnSignals(app.stop, { onSignal: (signal) => console.log(`${signal}: shutting down`) });
} catch (error) {
  // A configuration the API refuses (e.g. development identity in production): the reason, not a stack.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
