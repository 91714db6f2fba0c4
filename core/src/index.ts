export { budgetKey, budgetLeftField, microUsdPerUsd } from './budget/budget-keys';
export { type Config, ConfigError, loadConfig, redactConfig, tenantIdPattern } from './config/config';
export { AppError, type AppErrorOptions, badInput, isAppError, notFound, serviceUnavailable } from './errors/app-error';
export { ErrorCode, httpStatusByCode } from './errors/error-codes';
export { parseInput } from './errors/parse-input';
export { toAppError } from './errors/to-app-error';
export { createRedisClient, type RedisRole } from './redis/redis-client';
