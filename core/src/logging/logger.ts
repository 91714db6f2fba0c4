import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config';

export type { Logger } from 'pino';

/**
 * The process logger: one JSON object per line (with `process` and, in child loggers, `tenant`,
 * `task` and `job` ids), or human-readable lines in development. Secrets never go into log fields;
 * as a second line of defence, fields named like secrets are censored.
 */
export const createLogger = (log: Config['log'], processName: string): Logger => {
  const options = {
    level: log.level,
    base: { process: processName },
    redact: { paths: ['url', '*.url', 'webhookUrl', '*.webhookUrl', 'apiKey', '*.apiKey'], censor: '[secret]' },
  };
  return log.pretty
    ? pino(options, pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname' }))
    : pino(options);
};
