import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';

const maxDeadlockAttempts = 8;

const isDeadlock = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === 'string' &&
  (error as { code: string }).code.endsWith('DeadlockDetected');

/**
 * Runs `work` in one managed write transaction. The driver retries transient errors only within its
 * short (fail-fast) retry window; under heavy write contention on one tenant Neo4j can report
 * deadlocks (a busy tenant node's relationship locks) for longer, so those are retried here too,
 * with jittered backoff, a bounded number of times.
 */
export const writeTransaction = async <T>(
  driver: Driver,
  database: string | undefined,
  work: (tx: ManagedTransaction) => Promise<T>,
): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= maxDeadlockAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50 * attempt));
    } finally {
      await session.close();
    }
  }
};
