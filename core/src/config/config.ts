import { z } from 'zod';
import { type AuthMode, authModes } from '../auth/roles';
import { parseRedisClusterNodes } from './redis-cluster-nodes';

/** A non-empty string when set; an empty value in `.env` means "not set". */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** true/false, 1/0, yes/no; empty or unset means "not set" (the default decides). */
const optionalBoolean = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value))),
);

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

// 0 asks the OS for a free port (tests).
const port = z.coerce.number().int().min(0).max(65_535);

export const tenantIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Reverse proxies whose X-Forwarded-For names the client address (rate limits per address): empty =
   * none (the socket's address counts); a number = that many hops; or comma-separated addresses/CIDRs
   * (`loopback`, `uniquelocal` too). `true` (trust anyone) is refused: any client could pick its address.
   */
  TRUST_PROXY: optionalString.refine(
    (value) => value === undefined || !['true', '*'].includes(value.toLowerCase()),
    'name the hop count or the proxies\' addresses, not "true"',
  ),
  PORT: port.default(8000),
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must be a bolt:// or neo4j:// URI')
    .default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().default('ai-org-dev'),
  NEO4J_DATABASE: optionalString,
  /** How long a transaction is retried after a transient error; raise it above a cluster's leader election. */
  NEO4J_MAX_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// URI')
    .default('redis://127.0.0.1:6379'),
  /**
   * A Redis Cluster's nodes, comma-separated `host:port` (some are enough: the others are discovered);
   * credentials and TLS in URL form on the first, `rediss://user:password@host:port,host:port`. Set = the
   * processes connect to the cluster and REDIS_URL is not used.
   */
  REDIS_CLUSTER_NODES: optionalString,
  DEFAULT_TENANT: z
    .string()
    .default('demo')
    .transform((value) => (value.trim() === '' ? undefined : value.trim()))
    .refine(
      (value) => value === undefined || tenantIdPattern.test(value),
      'must be a tenant id (lowercase letters, digits, "-" or "_")',
    ),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** json: one JSON object per line; pretty: human-readable. Default: pretty in development, else json. */
  LOG_FORMAT: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['json', 'pretty']).optional()),
  /** The API's own Prometheus listener (the seed's :9102; the only place its /metrics is served); 0 = none. */
  METRICS_PORT: port.default(9102),
  /** Port of the role workers' Prometheus /metrics (the seed's :5555); 0 = none. */
  WORKER_METRICS_PORT: port.default(5555),
  /** Secret for budget administration (x-admin-token header); unset = admin operations refused. */
  ADMIN_TOKEN: optionalString,
  /**
   * development: the x-tenant-id header names the tenant (loopback only, never in production);
   * token: every request carries `Authorization: Bearer <JWT or API key>`.
   */
  AUTH_MODE: z.enum(authModes).default('development'),
  /** Shared secret of HS256 JWTs (self-hosting); at least 32 characters. */
  JWT_SECRET: optionalString.refine(
    (value) => value === undefined || value.length >= 32,
    'must be at least 32 characters',
  ),
  /** An issuer's JWKS URL (Auth0, Keycloak, Entra ID, Cognito); needs JWT_ISSUER and JWT_AUDIENCE. */
  JWT_JWKS_URL: optionalString.refine(
    (value) => value === undefined || /^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(value),
    'must be an https URL (http only on a loopback host)',
  ),
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  /** The claims that carry the tenant id and the roles (a list, or one string). */
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** Origins allowed to open the WebSocket and to call over CORS (comma-separated); the API's own is always allowed. */
  ALLOWED_ORIGINS: z.string().default('http://localhost:5173,http://127.0.0.1:5173'),
  /** Introspection and field suggestions; default: on in development mode, off in token mode. */
  GRAPHQL_INTROSPECTION: optionalBoolean,
  /** How often an open WebSocket's credential is verified again (a revoked key closes it). */
  AUTH_SOCKET_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
  /** Stack traces and raw driver messages in error responses, for local debugging only. */
  DEBUG_ERRORS: optionalBoolean,
  /** Requests per minute per caller (API key, token subject or development tenant). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests per minute per client address. */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
  /** Failed sign-ins (bad or unknown tokens) per minute per client address before it is throttled. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Open WebSockets per tenant. */
  MAX_SOCKETS_PER_TENANT: z.coerce.number().int().min(1).default(50),
  /** GraphQL operations one tenant may have running at once (each holds Neo4j connections). */
  TENANT_MAX_CONCURRENT_OPERATIONS: z.coerce.number().int().min(1).default(16),
  /** Longest a request's Neo4j transaction may run before Neo4j aborts it. */
  NEO4J_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  PRICE_PER_1K_TOKENS_USD: z.coerce.number().finite().positive().default(0.0005),
  /** Dispatch is refused while less than this is left (the seed's "abort when budget < 1 USD"). */
  BUDGET_MIN_LEFT_USD: z.coerce.number().finite().nonnegative().default(1),
  /** Budget the demo seed gives the demo tenant. */
  DEMO_BUDGET_USD: z.coerce.number().finite().nonnegative().default(10),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.refine(
    (value) => value === undefined || /^https?:\/\//.test(value),
    'must be an http(s) URL',
  ),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Attempts per job: the first try plus retries after 429, 5xx and timeouts. */
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(2_000),
  /** A worker that stops renewing its lock for this long (crash, kill -9) loses the job to another. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  WORKER_TENANT_REFRESH_MS: z.coerce.number().int().min(100).default(5_000),
  /** Comma-separated tenants the workers serve; unset = every tenant in Neo4j. */
  WORKER_TENANTS: optionalString.refine(
    (value) => value === undefined || value.split(',').every((tenant) => tenantIdPattern.test(tenant.trim())),
    'must be comma-separated tenant ids',
  ),
  /** A tenant's jobs running at once across every worker process, until its owner sets another value. */
  TENANT_MAX_RUNNING_JOBS: z.coerce.number().int().min(1).default(8),
  /** The most an owner may set `maxRunningJobs` to. */
  TENANT_MAX_RUNNING_JOBS_LIMIT: z.coerce.number().int().min(1).max(10_000).default(64),
  /** A tenant's LLM tokens per minute (prompt + completion cap of each call), until its owner sets another value. */
  TENANT_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).default(200_000),
  /** The most an owner may set `tokensPerMinute` to. */
  TENANT_TOKENS_PER_MINUTE_LIMIT: z.coerce.number().int().min(1).max(1_000_000_000).default(10_000_000),
  /** A running slot's lease, renewed while its job runs; a dead worker's slot comes back after it. */
  TENANT_SLOT_LEASE_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How long a job refused a running slot waits before it asks again. */
  TENANT_SLOT_RETRY_MS: z.coerce.number().int().min(100).default(2_000),
  /** Workers read a tenant's limits again after this long (a change applies within it). */
  TENANT_LIMITS_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  /** The window tokensPerMinute is counted in (each allows its share); shorter only in tests. */
  TENANT_TOKEN_WINDOW_MS: z.coerce.number().int().min(1_000).max(60_000).default(60_000),
  /** The orchestrator's periodic sweep; finished tasks wake it up in between. */
  ORCHESTRATOR_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Port of the orchestrator's Prometheus /metrics; 0 = none. */
  ORCHESTRATOR_METRICS_PORT: port.default(9103),
  /** Tokens reserved for planning one goal (architect, planner, one repair, routing). */
  PLANNING_TOKENS: z.coerce.number().int().min(1_000).default(40_000),
  PLANNER_MAX_TOKENS_PER_CALL: z.coerce.number().int().min(256).default(6_000),
  /** A task claimed for dispatch this long ago whose job is on no queue is put back (dispatcher crashed). */
  RECOVER_QUEUED_AFTER_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Planned tokens (in 1k) given to a hand-made task that names none, when the router gives it a role. */
  DEFAULT_TASK_KILOTOKENS: z.coerce.number().finite().min(0.1).max(1_000).default(4),
  /** A goal being planned this long is taken over by another orchestrator (its planner died). */
  GOAL_STALE_CLAIM_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** A task that has used more than this many times its planned tokens is failed, not retried. */
  EXPENSIVE_FAILURE_FACTOR: z.coerce.number().finite().min(1).default(2),
  /** Hosts tenants' notification webhooks may point at (https only, except loopback hosts). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('hooks.slack.com,discord.com,discordapp.com')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    ),
  /** Attempts per webhook message (first try plus retries with exponential backoff). */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
  /** A webhook that has not answered after this long counts as failed (and is retried). */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Stripe's secret API key; unset = top-ups are not configured (the Billing page says so). */
  STRIPE_SECRET_KEY: optionalString,
  /** The signing secret of the Stripe webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Another Stripe API address (a local fake or stripe-mock); unset = api.stripe.com. */
  STRIPE_API_URL: optionalString.refine(
    (value) => value === undefined || /^https?:\/\//.test(value),
    'must be an http(s) URL',
  ),
  /** Where Stripe Checkout sends the payer back: the web client's Billing page. */
  BILLING_RETURN_URL: z.string().url().default('http://127.0.0.1:5173/#/billing'),
  TOP_UP_MIN_USD: z.coerce.number().finite().min(0.5).max(1_000_000).default(5),
  TOP_UP_MAX_USD: z.coerce.number().finite().min(0.5).max(1_000_000).default(10_000),
  /** Folder of the goals' git workspaces (API and workers must see the same one: a shared volume). */
  WORKSPACE_ROOT: z.string().min(1).default('.data/workspaces'),
  /** Model steps an agent's loop may take per dispatch (gate rounds included). */
  AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(200).default(24),
  /** Completion tokens one model step may use at most (and reserves). */
  AGENT_STEP_MAX_TOKENS: z.coerce.number().int().min(256).max(128_000).default(8_192),
  /** Times a task's change may fail the gate (tests on the merge result) before the task fails. */
  AGENT_GATE_ROUNDS: z.coerce.number().int().min(1).max(10).default(3),
  /** Limits of one sandboxed command (tests, lint). */
  SANDBOX_WALL_CLOCK_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  SANDBOX_CPU_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  SANDBOX_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(1_024),
  SANDBOX_PROCESSES: z.coerce.number().int().min(8).max(4_096).default(256),
});

const checkedEnvSchema = envSchema.superRefine((e, ctx) => {
  const cluster = e.REDIS_CLUSTER_NODES === undefined ? undefined : parseRedisClusterNodes(e.REDIS_CLUSTER_NODES);
  for (const message of cluster && 'problems' in cluster ? cluster.problems : []) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message });
  }
  if (e.JWT_JWKS_URL && (!e.JWT_ISSUER || !e.JWT_AUDIENCE)) {
    ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'needs JWT_ISSUER and JWT_AUDIENCE as well' });
  }
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['STRIPE_WEBHOOK_SECRET'],
      message: 'is needed with STRIPE_SECRET_KEY: payments are credited only from signed events',
    });
  }
  if (e.TOP_UP_MIN_USD > e.TOP_UP_MAX_USD) {
    ctx.addIssue({ code: 'custom', path: ['TOP_UP_MIN_USD'], message: 'must not exceed TOP_UP_MAX_USD' });
  }
  if (e.TENANT_MAX_RUNNING_JOBS > e.TENANT_MAX_RUNNING_JOBS_LIMIT) {
    ctx.addIssue({
      code: 'custom',
      path: ['TENANT_MAX_RUNNING_JOBS'],
      message: 'exceeds TENANT_MAX_RUNNING_JOBS_LIMIT',
    });
  }
  if (e.TENANT_TOKENS_PER_MINUTE > e.TENANT_TOKENS_PER_MINUTE_LIMIT) {
    ctx.addIssue({
      code: 'custom',
      path: ['TENANT_TOKENS_PER_MINUTE'],
      message: 'exceeds TENANT_TOKENS_PER_MINUTE_LIMIT',
    });
  }
  if (e.JWT_SECRET && e.JWT_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET or JWT_JWKS_URL, not both' });
  }
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly metricsPort: number;
    /** Express' `trust proxy`: false, a hop count, or the trusted proxies' addresses. */
    readonly trustProxy: false | number | readonly string[];
  };
  readonly neo4j: {
    readonly uri: string;
    readonly user: string;
    readonly password: string;
    readonly database: string | undefined;
    /** How long a transaction is retried after a transient error (NEO4J_MAX_RETRY_MS). */
    readonly maxRetryMs: number;
  };
  readonly redis: {
    /** One Redis (or a managed Redis' single endpoint); not used when `clusterNodes` is set. */
    readonly url: string;
    /** Set: every process connects to this Redis Cluster (seed nodes, `host:port`). */
    readonly clusterNodes: readonly string[] | undefined;
    /** The cluster's credentials and TLS (REDIS_CLUSTER_NODES' URL form). */
    readonly clusterAuth: {
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly tls: boolean;
    };
  };
  /** Tenant assumed when a request names none (development identity only; JWT replaces it). */
  readonly defaultTenant: string | undefined;
  readonly log: { readonly level: Env['LOG_LEVEL']; readonly pretty: boolean };
  readonly adminToken: string | undefined;
  readonly auth: {
    readonly mode: AuthMode;
    /** JWT verification: a shared HS256 secret, or an issuer's JWKS; neither = API keys only. */
    readonly jwt: {
      readonly secret: string | undefined;
      readonly jwksUrl: string | undefined;
      readonly issuer: string | undefined;
      readonly audience: string | undefined;
      readonly tenantClaim: string;
      readonly rolesClaim: string;
    };
    readonly allowedOrigins: readonly string[];
    readonly socketRecheckMs: number;
    readonly introspection: boolean;
    readonly debugErrors: boolean;
  };
  readonly limits: {
    readonly requestsPerMinute: number;
    readonly requestsPerAddressPerMinute: number;
    readonly authFailuresPerMinute: number;
    readonly socketsPerTenant: number;
    readonly tenantConcurrentOperations: number;
    readonly neo4jTransactionTimeoutMs: number;
  };
  readonly budget: {
    /** Price of 1k tokens in micro-USD (1 USD = 1,000,000). */
    readonly microUsdPer1kTokens: number;
    readonly minimumLeftMicroUsd: number;
    readonly demoBudgetMicroUsd: number;
  };
  readonly llm: {
    readonly apiKey: string | undefined;
    readonly baseURL: string | undefined;
    readonly model: string;
    readonly timeoutMs: number;
  };
  readonly jobs: {
    readonly attempts: number;
    readonly backoffMs: number;
  };
  readonly orchestrator: {
    readonly intervalMs: number;
    readonly metricsPort: number;
    readonly planningTokens: number;
    readonly plannerMaxTokensPerCall: number;
    readonly recoverQueuedAfterMs: number;
    readonly goalStaleClaimMs: number;
    /** Planned tokens (in 1k) for a routed hand-made task that named none. */
    readonly defaultTaskKiloTokens: number;
  };
  readonly workers: {
    readonly concurrency: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly shutdownTimeoutMs: number;
    readonly tenantRefreshMs: number;
    readonly tenants: readonly string[] | undefined;
    readonly expensiveFailureFactor: number;
    readonly metricsPort: number;
  };
  /** Per-tenant limits across every worker process (docs/limits.md). */
  readonly tenantLimits: {
    /** What a tenant gets until its owner sets its own (`setTenantLimits`). */
    readonly defaults: { readonly maxRunningJobs: number; readonly tokensPerMinute: number };
    /** The most an owner may set. */
    readonly maxima: { readonly maxRunningJobs: number; readonly tokensPerMinute: number };
    readonly slotLeaseMs: number;
    readonly slotRetryMs: number;
    readonly cacheMs: number;
    readonly tokenWindowMs: number;
  };
  /** Agents' workspaces, tool loop, gate and sandbox (issue 14). */
  readonly agents: {
    readonly workspaceRoot: string;
    readonly maxSteps: number;
    readonly stepMaxTokens: number;
    readonly gateRounds: number;
    readonly sandbox: {
      readonly wallClockMs: number;
      readonly cpuSeconds: number;
      readonly memoryBytes: number;
      readonly processes: number;
    };
  };
  readonly billing: {
    /** Unset: top-ups are not configured. */
    readonly stripe?: { readonly secretKey: string; readonly webhookSecret: string; readonly apiUrl?: string };
    readonly returnUrl: string;
    readonly topUpMinMicroUsd: number;
    readonly topUpMaxMicroUsd: number;
  };
  readonly notifications: {
    readonly allowedHosts: readonly string[];
    /** Ports of AI-Org's own services (from this config, plus fixed ones): a loopback webhook may not use them. */
    readonly ownServicePorts: readonly number[];
    readonly attempts: number;
    readonly backoffMs: number;
    readonly timeoutMs: number;
  };
}

const trustProxyOf = (value: string | undefined): false | number | string[] => {
  if (value === undefined || ['false', '0', 'no'].includes(value.toLowerCase())) return false;
  return /^\d+$/.test(value) ? Number(value) : commaList(value);
};

const toMicroUsd = (usd: number): number => Math.round(usd * 1_000_000);

/** A service URI's port, or the scheme's default when it names none (unparseable: the default). */
const portOf = (uri: string, fallback: number): number => {
  try {
    return Number(new URL(uri).port) || fallback;
  } catch {
    return fallback;
  }
};

/** Fixed ports of our own services that no setting names: the web dev server, and the compose stack's Neo4j HTTP, Prometheus and Grafana. */
const fixedServicePorts = [5173, 7474, 9090, 3000];

/** Every port on which an AI-Org process or service may listen on this machine (0 = none). */
const ownServicePorts = (e: Env, clusterNodes: readonly string[]): number[] =>
  [
    ...new Set([
      ...clusterNodes.map((node) => Number(node.slice(node.lastIndexOf(':') + 1))),
      e.PORT,
      e.METRICS_PORT,
      e.WORKER_METRICS_PORT,
      e.ORCHESTRATOR_METRICS_PORT,
      portOf(e.REDIS_URL, 6379),
      portOf(e.NEO4J_URI, 7687),
      ...fixedServicePorts,
    ]),
  ].filter((port) => port > 0);

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; lists every problem at the same time. */
export const loadConfig = (env: Readonly<Record<string, string | undefined>>): Config => {
  const parsed = checkedEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const cluster = e.REDIS_CLUSTER_NODES === undefined ? undefined : parseRedisClusterNodes(e.REDIS_CLUSTER_NODES);
  const clusterNodes = cluster && 'nodes' in cluster ? cluster : undefined;
  return Object.freeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, metricsPort: e.METRICS_PORT, trustProxy: trustProxyOf(e.TRUST_PROXY) },
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      maxRetryMs: e.NEO4J_MAX_RETRY_MS,
    },
    redis: {
      url: e.REDIS_URL,
      clusterNodes: clusterNodes?.nodes,
      clusterAuth: {
        username: clusterNodes?.username,
        password: clusterNodes?.password,
        tls: clusterNodes?.tls ?? false,
      },
    },
    defaultTenant: e.DEFAULT_TENANT,
    log: {
      level: e.LOG_LEVEL,
      pretty: (e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json')) === 'pretty',
    },
    adminToken: e.ADMIN_TOKEN,
    auth: {
      mode: e.AUTH_MODE,
      jwt: {
        secret: e.JWT_SECRET,
        jwksUrl: e.JWT_JWKS_URL,
        issuer: e.JWT_ISSUER,
        audience: e.JWT_AUDIENCE,
        tenantClaim: e.JWT_TENANT_CLAIM,
        rolesClaim: e.JWT_ROLES_CLAIM,
      },
      allowedOrigins: commaList(e.ALLOWED_ORIGINS),
      socketRecheckMs: e.AUTH_SOCKET_RECHECK_MS,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.AUTH_MODE === 'development',
      debugErrors: e.DEBUG_ERRORS ?? false,
    },
    limits: {
      requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
      requestsPerAddressPerMinute: e.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
      authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
      socketsPerTenant: e.MAX_SOCKETS_PER_TENANT,
      tenantConcurrentOperations: e.TENANT_MAX_CONCURRENT_OPERATIONS,
      neo4jTransactionTimeoutMs: e.NEO4J_TRANSACTION_TIMEOUT_MS,
    },
    budget: {
      microUsdPer1kTokens: toMicroUsd(e.PRICE_PER_1K_TOKENS_USD),
      minimumLeftMicroUsd: toMicroUsd(e.BUDGET_MIN_LEFT_USD),
      demoBudgetMicroUsd: toMicroUsd(e.DEMO_BUDGET_USD),
    },
    llm: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS },
    jobs: { attempts: e.JOB_ATTEMPTS, backoffMs: e.JOB_BACKOFF_MS },
    orchestrator: {
      intervalMs: e.ORCHESTRATOR_INTERVAL_MS,
      metricsPort: e.ORCHESTRATOR_METRICS_PORT,
      planningTokens: e.PLANNING_TOKENS,
      plannerMaxTokensPerCall: e.PLANNER_MAX_TOKENS_PER_CALL,
      recoverQueuedAfterMs: e.RECOVER_QUEUED_AFTER_MS,
      goalStaleClaimMs: e.GOAL_STALE_CLAIM_MS,
      defaultTaskKiloTokens: e.DEFAULT_TASK_KILOTOKENS,
    },
    workers: {
      concurrency: e.WORKER_CONCURRENCY,
      lockDurationMs: e.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
      shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
      tenantRefreshMs: e.WORKER_TENANT_REFRESH_MS,
      tenants: e.WORKER_TENANTS?.split(',').map((tenant) => tenant.trim()),
      expensiveFailureFactor: e.EXPENSIVE_FAILURE_FACTOR,
      metricsPort: e.WORKER_METRICS_PORT,
    },
    tenantLimits: {
      defaults: { maxRunningJobs: e.TENANT_MAX_RUNNING_JOBS, tokensPerMinute: e.TENANT_TOKENS_PER_MINUTE },
      maxima: { maxRunningJobs: e.TENANT_MAX_RUNNING_JOBS_LIMIT, tokensPerMinute: e.TENANT_TOKENS_PER_MINUTE_LIMIT },
      slotLeaseMs: e.TENANT_SLOT_LEASE_MS,
      slotRetryMs: e.TENANT_SLOT_RETRY_MS,
      cacheMs: e.TENANT_LIMITS_CACHE_MS,
      tokenWindowMs: e.TENANT_TOKEN_WINDOW_MS,
    },
    agents: {
      workspaceRoot: e.WORKSPACE_ROOT,
      maxSteps: e.AGENT_MAX_STEPS,
      stepMaxTokens: e.AGENT_STEP_MAX_TOKENS,
      gateRounds: e.AGENT_GATE_ROUNDS,
      sandbox: {
        wallClockMs: e.SANDBOX_WALL_CLOCK_MS,
        cpuSeconds: e.SANDBOX_CPU_SECONDS,
        memoryBytes: e.SANDBOX_MEMORY_MB * 1024 * 1024,
        processes: e.SANDBOX_PROCESSES,
      },
    },
    billing: {
      stripe:
        e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
          ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiUrl: e.STRIPE_API_URL }
          : undefined,
      returnUrl: e.BILLING_RETURN_URL,
      topUpMinMicroUsd: toMicroUsd(e.TOP_UP_MIN_USD),
      topUpMaxMicroUsd: toMicroUsd(e.TOP_UP_MAX_USD),
    },
    notifications: {
      allowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
      ownServicePorts: ownServicePorts(e, clusterNodes?.nodes ?? []),
      attempts: e.NOTIFY_ATTEMPTS,
      backoffMs: e.NOTIFY_BACKOFF_MS,
      timeoutMs: e.NOTIFY_TIMEOUT_MS,
    },
  });
};

/** The config with secrets replaced, for logs and start-up banners. */
export const redactConfig = (config: Config): Config => ({
  ...config,
  neo4j: { ...config.neo4j, password: config.neo4j.password ? '***' : '' },
  redis: {
    ...config.redis,
    url: config.redis.url.replace(/\/\/([^@/]*)@/, '//***@'),
    clusterAuth: { ...config.redis.clusterAuth, password: config.redis.clusterAuth.password ? '***' : undefined },
  },
  adminToken: config.adminToken ? '***' : undefined,
  auth: { ...config.auth, jwt: { ...config.auth.jwt, secret: config.auth.jwt.secret ? '***' : undefined } },
  llm: { ...config.llm, apiKey: config.llm.apiKey ? '***' : undefined },
  billing: {
    ...config.billing,
    stripe: config.billing.stripe && { ...config.billing.stripe, secretKey: '***', webhookSecret: '***' },
  },
});
