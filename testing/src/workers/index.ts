// Test helpers that run the role workers: a harness over real Neo4j, Redis and BullMQ, and entry points as processes.

export { createHarness, type Harness, ledgerTotals, testEnv } from './harness';
export { exited, spawnEntry } from './processes';
