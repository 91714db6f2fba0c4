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
 * Turns anything thrown into an AppError: known errors pass through, connection failures become
 * SERVICE_UNAVAILABLE, everything else INTERNAL (its message is never shown to callers).
 */
export const toAppError = (error: unknown): AppError => {
  if (isAppError(error)) return error;
  if (error instanceof Error) {
    const service = serviceOf(error);
    if (service) return serviceUnavailable(service, error);
    if (error.message.includes('Connection is closed') || error.message.includes("Stream isn't writeable")) {
      return serviceUnavailable('Redis', error);
    }
  }
  return new AppError('INTERNAL_SERVER_ERROR', 'Internal server error', { cause: error });
};
