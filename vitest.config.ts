import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{core,schema,server,ops}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{core,schema,server,ops}/**/*.int.test.ts'],
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
