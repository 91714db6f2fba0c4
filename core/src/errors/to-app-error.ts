import { AppError, isAppError, serviceUnavailable } from './app-error';

/** Driver and client error codes that mean "the service is not reachable right now". */
const unavailableCodes = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

const serviceOf = (error: Error): string | undefined => {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') return 'Neo4j';
  if (unavailableCodes.has(code)) return 'A backing service';
  return undefined;
};

/**
 * NEO4J_DATABASE names a database the server does not have: a configuration fault, not the caller's.
 * Neo4j 5 says "Graph not found: <name>", 4.x "Database does not exist. Database name: '<name>'."
 */
const missingDatabase = (error: Error): AppError | undefined => {
  if ((error as { code?: unknown }).code !== 'Neo.ClientError.Database.DatabaseNotFound') return undefined;
  const name = /Graph not found: (\S+)|Database name: '([^']+)'/.exec(error.message)?.slice(1).find(Boolean);
  return new AppError(
    'SERVICE_UNAVAILABLE',
    name ? `Neo4j database "${name}" does not exist` : 'The configured Neo4j database does not exist',
    { details: { service: 'Neo4j' }, cause: error },
  );
};

/**
 * Neo4j aborted a transaction that ran past its timeout (ours, NEO4J_TRANSACTION_TIMEOUT_MS, or the
 * server's own): `…TransactionTimedOut` or `…TransactionTimedOutClientConfiguration`. The server is
 * fine but would not finish this query in time: SERVICE_UNAVAILABLE (503), saying why.
 */
const timedOut = (error: Error): AppError | undefined => {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) return undefined;
  return new AppError('SERVICE_UNAVAILABLE', 'The query took too long and was stopped; narrow it or try again later', {
    details: { service: 'Neo4j', reason: 'transaction_timeout' },
    cause: error,
  });
};

/**
 * Turns anything thrown into an AppError: known errors pass through, connection failures and a
 * missing database become SERVICE_UNAVAILABLE, everything else INTERNAL (its message is never shown
 * to callers).
 */
export const toAppError = (error: unknown): AppError => {
  if (isAppError(error)) return error;
  if (error instanceof Error) {
    const missing = missingDatabase(error);
    if (missing) return missing;
    const stopped = timedOut(error);
    if (stopped) return stopped;
    const service = serviceOf(error);
    if (service) return serviceUnavailable(service, error);
    // Every pooled Neo4j connection is busy (a burst): the caller should try again shortly.
    if (error.message.startsWith('Connection acquisition timed out')) return serviceUnavailable('Neo4j', error);
    // ioredis gave up waiting for Redis (its commandTimeout), or its connection is gone.
    if (
      error.message === 'Command timed out' ||
      error.message.includes('Connection is closed') ||
      error.message.includes("Stream isn't writeable")
    ) {
      return serviceUnavailable('Redis', error);
    }
  }
  return new AppError('INTERNAL_SERVER_ERROR', 'Internal server error', { cause: error });
};
