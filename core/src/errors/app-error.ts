import type { ErrorCode } from './error-codes';

export interface AppErrorOptions {
  /** Structured detail safe to show to the caller (field names, limits), never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one base for every expected failure. Its message and details are safe to return to callers. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }
}

export const badInput = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('BAD_USER_INPUT', message, { details });

export const notFound = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('NOT_FOUND', message, { details });

export const serviceUnavailable = (service: string, cause?: unknown): AppError =>
  new AppError('SERVICE_UNAVAILABLE', `${service} is unavailable, try again shortly`, {
    details: { service },
    cause,
  });

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
