import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from './neo4j-driver';
import { writeTransaction } from './write-transaction';

/**
 * Beyond one server: a `neo4j://` routing URI works (here against the single server, which answers
 * routing requests as a one-member cluster), and a read made after a write in this process, in any
 * session, carries the write's bookmark, so a cluster member that has not applied it yet waits.
 */
describe('the Neo4j driver beyond one server', () => {
  const config = loadConfig(process.env);
  const routingUri = config.neo4j.uri.replace(/^bolt/, 'neo4j');
  const driver = createNeo4jDriver({ ...config.neo4j, uri: routingUri, transactionTimeoutMs: 5_000 });
  const tenant = `test-routing-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await driver.executeQuery('MATCH (n:RoutingProbe {tenantId: $tenant}) DELETE n', { tenant });
    await driver.close();
  });

  it('routes a write and a read in another session through a neo4j:// URI, the read after the write’s bookmark', async () => {
    const before = [...(await driver.executeQueryBookmarkManager.getBookmarks())];
    await writeTransaction(driver, config.neo4j.database, (tx) =>
      tx.run('CREATE (:RoutingProbe {tenantId: $tenant})', { tenant }),
    );
    const after = [...(await driver.executeQueryBookmarkManager.getBookmarks())];
    // The write's session reported its bookmark to the manager every session shares.
    expect(after).not.toEqual(before);
    expect(after.length).toBeGreaterThan(0);

    const session = driver.session({ database: config.neo4j.database, defaultAccessMode: neo4j.session.READ });
    try {
      const read = await session.executeRead((tx) =>
        tx.run('MATCH (n:RoutingProbe {tenantId: $tenant}) RETURN count(n) AS n', { tenant }),
      );
      expect(Number(read.records[0]?.get('n'))).toBe(1);
      // The read session started from the shared bookmarks.
      expect(session.lastBookmarks().length).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });
});
