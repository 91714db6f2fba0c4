import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '@ai-org/core';

/** A tenant id of a benchmark's own (`bench-<label>-<random>`), so runs never touch other data. */
export const benchTenant = (label: string): string => `bench-${label}-${randomBytes(4).toString('hex')}`;

/**
 * The configuration a benchmark starts the API, workers or orchestrator with: quiet, on free ports, serving
 * only the benchmark's tenants, without the per-caller limits a benchmark's bursts would trip.
 */
export const benchConfig = (tenants: readonly string[], env: Readonly<Record<string, string>> = {}): Config =>
  loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_MODE: 'development',
    PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    ORCHESTRATOR_METRICS_PORT: '0',
    DEFAULT_TENANT: '',
    OPENAI_API_KEY: '',
    WORKER_TENANTS: tenants.join(','),
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_MINUTE: '1000000',
    MAX_SOCKETS_PER_TENANT: '100000',
    TENANT_MAX_CONCURRENT_OPERATIONS: '100000',
    // Reads of 10,000 tasks beside big neighbours must not be cut short on a busy machine.
    NEO4J_TRANSACTION_TIMEOUT_MS: '120000',
    ...env,
  });
