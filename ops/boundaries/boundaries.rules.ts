/**
 * The package layout and who may import whom, from the bottom up:
 *
 *   core ← schema ← domain ← server, workers ← ops
 *
 * `web/src` imports no internal package (only its generated client); `bench` and the shared test
 * helpers import packages through their entry points. A unit is a folder whose files share one rule;
 * a file belongs to the unit with the longest matching folder.
 */
export interface Unit {
  /** How other units import it (`@ai-org/domain`), or a label for units nobody imports by name. */
  readonly name: string;
  /** The folder its files live in, relative to the repository root ('.' for the root files). */
  readonly dir: string;
  /** The folder of the package.json that must declare every external package its files import. */
  readonly packageDir: string;
  /** The internal units its files may import (by name; by relative path only where `byPath` is set). */
  readonly mayImport: readonly string[];
  /** Further units that its test files may import (shared test helpers of the same layer or below). */
  readonly testsMayImport?: readonly string[];
  /** Imported by relative path instead of a package name (the root's configuration files). */
  readonly byPath?: boolean;
}

export interface BoundaryRules {
  readonly units: readonly Unit[];
  /** The package folders whose package.json declarations are checked for unused entries. */
  readonly packageDirs: readonly string[];
}

const core = '@ai-org/core';
const schema = '@ai-org/schema';
const domain = '@ai-org/domain';
const server = '@ai-org/server';
const workers = '@ai-org/workers';
const testing = '@ai-org/testing';
const testingWorkers = '@ai-org/testing/workers';
const testingSystem = '@ai-org/testing/system';

export const boundaryRules: BoundaryRules = {
  units: [
    { name: 'ai-org (root files)', dir: '.', packageDir: '.', mayImport: [], byPath: true },
    { name: core, dir: 'core', packageDir: 'core', mayImport: [], testsMayImport: [testing] },
    { name: schema, dir: 'schema', packageDir: 'schema', mayImport: [core], testsMayImport: [testing] },
    { name: domain, dir: 'domain', packageDir: 'domain', mayImport: [core, schema], testsMayImport: [testing] },
    {
      name: server,
      dir: 'server',
      packageDir: 'server',
      mayImport: [core, schema, domain],
      testsMayImport: [testing],
    },
    {
      name: workers,
      dir: 'workers',
      packageDir: 'workers',
      mayImport: [core, schema, domain],
      testsMayImport: [testing, testingWorkers],
    },
    {
      name: '@ai-org/ops',
      dir: 'ops',
      packageDir: 'ops',
      mayImport: [core, schema, domain, server, workers, 'ai-org (root files)'],
      testsMayImport: [testing, testingWorkers, testingSystem],
    },
    // The web app imports no internal package: it talks to the API through its generated client.
    { name: '@ai-org/web', dir: 'web/src', packageDir: 'web', mayImport: [] },
    { name: '@ai-org/web (config)', dir: 'web', packageDir: 'web', mayImport: [] },
    { name: '@ai-org/web (e2e)', dir: 'web/e2e', packageDir: 'web', mayImport: [], testsMayImport: [testingSystem] },
    // Benchmarks start the real stack (as the fault tests do) and compare it with the same work done bare.
    {
      name: '@ai-org/bench',
      dir: 'bench',
      packageDir: 'bench',
      mayImport: [core, schema, domain, server, workers, testing, testingWorkers, testingSystem],
    },
    // Shared test helpers, in layers: the base needs only core; the others start the API or workers.
    { name: testing, dir: 'testing/src', packageDir: 'testing', mayImport: [core] },
    {
      name: testingWorkers,
      dir: 'testing/src/workers',
      packageDir: 'testing',
      mayImport: [core, schema, domain, workers, testing],
    },
    {
      name: testingSystem,
      dir: 'testing/src/system',
      packageDir: 'testing',
      mayImport: [core, schema, server, workers, testing],
    },
  ],
  packageDirs: ['.', 'core', 'schema', 'domain', 'server', 'workers', 'ops', 'web', 'bench', 'testing'],
};
