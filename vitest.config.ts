import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships a CommonJS and an ESM build without an `exports` map. Node (and so `npm start`)
// loads the CommonJS one everywhere, while Vite would pick the ESM one for our sources and leave
// @neo4j/graphql on CommonJS: two copies of every class ("from another module or realm").
// Tests resolve it the way Node does.
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['{core,schema,domain,server,workers,testing,ops}/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.fault.test.ts', '**/*.scale.test.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['{core,schema,domain,server,workers,testing,ops}/**/*.int.test.ts', 'web/e2e/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          // Starts Neo4j and Redis when they are not running, migrates, and stops what it started.
          globalSetup: ['ops/dev/test-services.setup.ts'],
          hookTimeout: 60_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
