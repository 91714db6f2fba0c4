import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Fault tests (`npm run test:faults`): the three processes killed and restarted, and a private Neo4j
// and Redis killed and restarted under them. Not part of `npm test`; see ops/test/faults/.
// (graphql resolved the way Node does, as in vitest.config.ts.)
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

export default defineConfig({
  resolve,
  test: {
    name: 'faults',
    include: ['ops/test/faults/**/*.fault.test.ts'],
    exclude: ['**/node_modules/**'],
    // One scenario at a time: each runs three processes and kills things under them.
    fileParallelism: false,
    globalSetup: ['ops/test/faults/services.setup.ts'],
    hookTimeout: 120_000,
    testTimeout: 180_000,
  },
});
