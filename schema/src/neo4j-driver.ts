import neo4j, { type Driver, type Session } from 'neo4j-driver';

export interface Neo4jOptions {
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  /**
   * When set, every transaction run through this driver that names no timeout of its own — our
   * repositories' `executeQuery`/`executeWrite` and @neo4j/graphql's generated reads and writes alike —
   * is aborted by Neo4j after this many milliseconds (`Neo.ClientError.Transaction.TransactionTimedOut*`).
   */
  readonly transactionTimeoutMs?: number;
  /**
   * How long the driver retries a transaction that failed with a transient error (a cluster's leader
   * election, a lost connection). Short by default, to fail fast on a single server; a cluster wants
   * it longer than an election takes.
   */
  readonly maxRetryMs?: number;
}

type TransactionConfig = NonNullable<Parameters<Session['executeRead']>[1]>;
type QueryConfig = NonNullable<Parameters<Driver['executeQuery']>[2]>;

const withTimeout = (config: TransactionConfig | undefined, timeout: number): TransactionConfig =>
  // @neo4j/graphql passes `{ timeout: undefined }` when its context names none: undefined means "ours".
  config?.timeout === undefined || config.timeout === null ? { ...config, timeout } : config;

/** A session whose transactions (managed, explicit and auto-commit) default to the timeout. */
const sessionWithTimeout = (session: Session, timeout: number): Session =>
  new Proxy(session, {
    get(target, property) {
      switch (property) {
        case 'executeRead':
        case 'executeWrite':
          return (work: Parameters<Session['executeRead']>[0], config?: TransactionConfig) =>
            target[property](work, withTimeout(config, timeout));
        case 'beginTransaction':
          return (config?: TransactionConfig) => target.beginTransaction(withTimeout(config, timeout));
        case 'run':
          return (query: Parameters<Session['run']>[0], parameters?: unknown, config?: TransactionConfig) =>
            target.run(query, parameters, withTimeout(config, timeout));
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });

/**
 * The driver has no default transaction timeout of its own (only per call), so this wraps it: every
 * `executeQuery` and every session it opens gets the timeout unless the call names one. The driver's
 * internal sessions (those of `executeQuery`) bypass `session()`, hence both are wrapped.
 */
export const withTransactionTimeout = (driver: Driver, timeout: number): Driver =>
  new Proxy(driver, {
    get(target, property) {
      if (property === 'session') {
        return (config?: Parameters<Driver['session']>[0]) => sessionWithTimeout(target.session(config), timeout);
      }
      if (property === 'executeQuery') {
        return (query: Parameters<Driver['executeQuery']>[0], parameters?: unknown, config?: QueryConfig) =>
          target.executeQuery(query, parameters, {
            ...config,
            transactionConfig: withTimeout(config?.transactionConfig, timeout),
          });
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/**
 * Every session the driver opens shares the bookmark manager of its `executeQuery`, unless the caller
 * names one: in a cluster (`neo4j://` routing URIs), a read made after a write in this process —
 * by a repository, a managed transaction or @neo4j/graphql's generated Cypher — waits until the
 * server it reads from has that write (causal consistency), whichever session made it.
 */
export const withSharedBookmarks = (driver: Driver): Driver =>
  new Proxy(driver, {
    get(target, property) {
      if (property === 'session') {
        return (config?: Parameters<Driver['session']>[0]) =>
          target.session({ bookmarkManager: target.executeQueryBookmarkManager, ...config });
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/**
 * A driver tuned to fail fast: when Neo4j is down a request gets SERVICE_UNAVAILABLE within a few
 * seconds instead of waiting out the driver's 30 s retry window (`maxRetryMs`, 2 s unless given).
 * It reconnects on its own; with a `neo4j://` URI it routes writes to the leader and reads to any
 * member, its sessions sharing one bookmark manager (`withSharedBookmarks`).
 */
export const createNeo4jDriver = ({
  uri,
  user,
  password,
  transactionTimeoutMs,
  maxRetryMs = 2_000,
}: Neo4jOptions): Driver => {
  const driver = withSharedBookmarks(
    neo4j.driver(uri, neo4j.auth.basic(user, password), {
      connectionTimeout: 3_000,
      connectionAcquisitionTimeout: 5_000,
      maxTransactionRetryTime: maxRetryMs,
      disableLosslessIntegers: true,
    }),
  );
  return transactionTimeoutMs === undefined ? driver : withTransactionTimeout(driver, transactionTimeoutMs);
};
