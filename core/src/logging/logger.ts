import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config';

export type { Logger } from 'pino';

/**
 * The process logger: one JSON object per line (with `process` and, in child loggers, `tenant`,
 * `task` and `job` ids), or human-readable lines in development — one per entry, without a
 * `figures` field (the tick line says the same). Secrets never go into log fields; as a second line
 * of defence, fields named like secrets are censored.
 */
export const createLogger = (
  log: Config['log'],
  processName: string,
  destination: DestinationStream = process.stdout,
): Logger => {
  const options = {
    level: log.level,
    base: { process: processName },
    redact: { paths: ['url', '*.url', 'webhookUrl', '*.webhookUrl', 'apiKey', '*.apiKey'], censor: '[secret]' },
  };
  return log.pretty
    ? pino(
        options,
        pretty({
          sync: true,
          singleLine: true,
          colorize: destination === process.stdout && process.stdout.isTTY,
          ignore: 'pid,hostname,figures',
          destination,
        }),
      )
    : pino(options, destination);
};
