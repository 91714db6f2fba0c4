import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The multi-replica run (`npm run test:scale`): two APIs, three worker processes and two orchestrators
// on a Redis Cluster it starts and the project's Neo4j, a worker killed every few seconds. Not part of
// `npm test`; see ops/test/scale/. (graphql resolved the way Node does, as in vitest.config.ts.)
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

export default defineConfig({
  resolve,
  test: {
    name: 'scale',
    include: ['ops/test/scale/**/*.scale.test.ts'],
    exclude: ['**/node_modules/**'],
    // One scenario at a time: each runs seven processes on this machine.
    fileParallelism: false,
    // Neo4j (and the single Redis the cleanup does not need) started when absent, and migrated.
    globalSetup: ['ops/dev/test-services.setup.ts'],
    hookTimeout: 300_000,
    testTimeout: 420_000,
  },
});
