import { z } from 'zod';

/** A non-empty string when set; an empty value in `.env` means "not set". */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

// 0 asks the OS for a free port (tests).
const port = z.coerce.number().int().min(0).max(65_535);

export const tenantIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8000),
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must be a bolt:// or neo4j:// URI')
    .default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().default('ai-org-dev'),
  NEO4J_DATABASE: optionalString,
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// URI')
    .default('redis://127.0.0.1:6379'),
  DEFAULT_TENANT: z
    .string()
    .default('demo')
    .transform((value) => (value.trim() === '' ? undefined : value.trim()))
    .refine(
      (value) => value === undefined || tenantIdPattern.test(value),
      'must be a tenant id (lowercase letters, digits, "-" or "_")',
    ),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly http: { readonly host: string; readonly port: number };
  readonly neo4j: {
    readonly uri: string;
    readonly user: string;
    readonly password: string;
    readonly database: string | undefined;
  };
  readonly redis: { readonly url: string };
  /** Tenant assumed when a request names none (development identity only; JWT replaces it). */
  readonly defaultTenant: string | undefined;
  readonly logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; lists every problem at the same time. */
export const loadConfig = (env: Readonly<Record<string, string | undefined>>): Config => {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT },
    neo4j: { uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD, database: e.NEO4J_DATABASE },
    redis: { url: e.REDIS_URL },
    defaultTenant: e.DEFAULT_TENANT,
    logLevel: e.LOG_LEVEL,
  });
};

/** The config with secrets replaced, for logs and start-up banners. */
export const redactConfig = (config: Config): Config => ({
  ...config,
  neo4j: { ...config.neo4j, password: config.neo4j.password ? '***' : '' },
  redis: { url: config.redis.url.replace(/\/\/([^@/]*)@/, '//***@') },
});
