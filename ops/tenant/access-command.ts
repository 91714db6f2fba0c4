import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isAppError, loadConfig } from '@ai-org/core';
import { ApiKeyService, TenantService } from '@ai-org/domain';
import { ApiKeyRepository, createNeo4jDriver, migrate, TenantRepository } from '@ai-org/schema';

/** What the access commands work with: no Redis, no queues, only Neo4j. */
export interface AccessServices {
  readonly apiKeys: ApiKeyService;
  readonly tenants: TenantService;
}

/** Exit codes: 0 done; 1 refused or failed (e.g. the tenant exists, Neo4j unreachable); 2 bad arguments. */
export const exitCodes = { ok: 0, refused: 1, usage: 2 } as const;

/** A command-line mistake: reported with the usage line. */
export class UsageError extends Error {}

/** The named string options as given, or a UsageError for unknown options, missing values or stray arguments. */
export const parseOptions = <N extends string>(
  args: readonly string[],
  names: readonly N[],
): Partial<Record<N, string>> => {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return values as Partial<Record<N, string>>;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

export interface AccessCommand<A> {
  /** One line showing how to call it. */
  readonly usage: string;
  /** Reads the arguments; throws UsageError. Runs before anything connects. */
  readonly parse: () => A;
  readonly run: (args: A, services: AccessServices) => Promise<void>;
}

/**
 * Runs one access command: parses its arguments, reads the configuration, applies the migrations
 * (idempotent), runs it and closes Neo4j. Failures are printed as one line on stderr, never with a
 * stack; the exit code tells them apart (see `exitCodes`).
 */
export const runAccessCommand = async <A>({ usage, parse, run }: AccessCommand<A>): Promise<number> => {
  try {
    const args = parse();
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadConfig(process.env);
    const database = config.neo4j.database;
    const driver = createNeo4jDriver(config.neo4j);
    try {
      await migrate(driver, database);
      const apiKeys = new ApiKeyService(new ApiKeyRepository(driver, database));
      await run(args, { apiKeys, tenants: new TenantService(new TenantRepository(driver, database), apiKeys) });
      return exitCodes.ok;
    } finally {
      await driver.close();
    }
  } catch (error) {
    return report(error, usage);
  }
};

const report = (error: unknown, usage: string): number => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\nusage: ${usage}`);
    return exitCodes.usage;
  }
  // AppError and ConfigError messages are written for people and hold no secret; so are the driver's.
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  if (isAppError(error) && error.code === 'BAD_USER_INPUT') return exitCodes.usage;
  return exitCodes.refused;
};

/**
 * Prints a new secret: the secret alone on stdout (so `KEY=$(npm run -s …)` captures it), the words
 * around it on stderr. Nothing else secret is ever printed.
 */
export const printSecretOnce = (description: string, secret: string): void => {
  console.error(description);
  console.log(secret);
  console.error('This key will not be shown again: store it now (only its hash is kept).');
};
