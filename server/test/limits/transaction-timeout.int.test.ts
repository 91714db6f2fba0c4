import { loadConfig, toAppError } from '@ai-org/core';
import { buildNeo4jSchema, createNeo4jDriver, withTransactionTimeout } from '@ai-org/schema';
import { graphql } from 'graphql';
import type { Driver, Session } from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '../test-app';

const neo4jOptions = loadConfig(process.env).neo4j;
const timeoutMs = 300;
/** Neo4j checks for timed-out transactions every couple of seconds; 5 s of sleep is well past either. */
const slowCypher = 'CALL apoc.util.sleep(5000) RETURN 1 AS done';

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

/** NEO4J_TRANSACTION_TIMEOUT_MS: every transaction the API's driver runs is aborted by Neo4j at the timeout. */
describe('Neo4j transaction timeout', () => {
  const driver = createNeo4jDriver({ ...neo4jOptions, transactionTimeoutMs: timeoutMs });
  afterAll(() => driver.close());

  const expectStopped = async (run: () => Promise<unknown>) => {
    const error: unknown = await run().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(codeOf(error)).toMatch(/^Neo\.ClientError\.Transaction\.TransactionTimedOut/);
    expect(toAppError(error)).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { reason: 'transaction_timeout' },
    });
  };

  it('aborts a slow repository-style driver.executeQuery at the timeout, answering SERVICE_UNAVAILABLE', async () => {
    await expectStopped(() => driver.executeQuery(slowCypher));
  });

  it('aborts slow managed, explicit and auto-commit transactions of a session at the timeout', async () => {
    const session = driver.session();
    try {
      await expectStopped(() => session.executeWrite((tx) => tx.run(slowCypher)));
      await expectStopped(() => session.executeRead((tx) => tx.run(slowCypher), { timeout: undefined }));
      await expectStopped(async () => {
        const tx = await session.beginTransaction();
        try {
          // apoc.util.sleep returns early once its transaction is terminated; the run or the commit then fails.
          await tx.run(slowCypher);
          await tx.commit();
        } finally {
          if (tx.isOpen()) await tx.rollback();
        }
      });
      await expectStopped(() => session.run(slowCypher));
    } finally {
      await session.close();
    }
  });

  it('lets a call that names its own timeout keep it', async () => {
    const { records } = await driver.executeQuery(
      'CALL apoc.util.sleep(1500) RETURN 1 AS done',
      {},
      {
        transactionConfig: { timeout: 20_000 },
      },
    );
    expect(records[0]?.get('done')).toBe(1);
  });

  it("passes the timeout to @neo4j/graphql's generated reads (proved by recording the session's transaction config, not by a slow read)", async () => {
    const seen: unknown[] = [];
    const recording = new Proxy(createNeo4jDriver(neo4jOptions), {
      get(target, property) {
        if (property !== 'session') {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (config?: Parameters<Driver['session']>[0]) => {
          const session = target.session(config);
          const original = session.executeRead.bind(session);
          const executeRead: Session['executeRead'] = (work, txConfig) => {
            seen.push(txConfig?.timeout);
            return original(work, txConfig);
          };
          return Object.assign(session, { executeRead });
        };
      },
    });
    try {
      const schema = await buildNeo4jSchema(withTransactionTimeout(recording, timeoutMs));
      const result = await graphql({
        schema,
        source: '{ tasks(limit: 1) { id } }',
        contextValue: { jwt: { tenant: uniqueTenant('timeout') } },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ tasks: [] });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((timeout) => timeout === timeoutMs)).toBe(true);
    } finally {
      await recording.close();
    }
  });
});
