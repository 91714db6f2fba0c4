import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';

/** Runs `work` in one managed write transaction (retried by the driver on transient errors). */
export const writeTransaction = <T>(
  driver: Driver,
  database: string | undefined,
  work: (tx: ManagedTransaction) => Promise<T>,
): Promise<T> => {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  return session.executeWrite(work).finally(() => session.close());
};
