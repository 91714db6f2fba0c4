import type { NotificationChannel } from '@ai-org/core';
import { customAlphabet } from 'nanoid';
import neo4j, { type Driver } from 'neo4j-driver';
import { writeTransaction } from '../write-transaction';

/** A stored webhook, URL included: for the notification worker only, never for an API answer. */
export interface WebhookRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly channel: NotificationChannel;
  readonly url: string;
  /** ISO-8601, UTC. */
  readonly createdAt: string;
}

export type AddWebhookOutcome =
  | { readonly status: 'created' | 'existing'; readonly webhook: WebhookRecord }
  | { readonly status: 'limit' };

/** Webhook ids: 12 characters of [0-9a-z] (see `webhookIdPattern`). */
export const newWebhookId: () => string = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

const projection = 'w { .id, .tenantId, .channel, .url, createdAt: toString(w.createdAt) }';

/**
 * A tenant's webhooks, `(:Tenant {id})-[:NOTIFIES]->(:Webhook)`. Deliberately not in the type
 * definitions, so the generated GraphQL API can never read them; every query is scoped to a tenant.
 */
export class WebhookRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  /**
   * Stores a webhook unless the tenant has the same one already (then that one is returned) or has
   * `max` webhooks. The tenant node is write-locked first, so concurrent adds cannot pass the limit.
   */
  add(
    tenantId: string,
    webhook: { channel: NotificationChannel; url: string },
    max: number,
  ): Promise<AddWebhookOutcome> {
    return writeTransaction(this.driver, this.database, async (tx) => {
      await tx.run(
        `MERGE (tn:Tenant {id: $tenantId})
           ON CREATE SET tn.name = $tenantId, tn.createdAt = datetime()
         SET tn.webhooksChangedAt = datetime()`,
        { tenantId },
      );
      const existing = await tx.run(
        `MATCH (:Tenant {id: $tenantId})-[:NOTIFIES]->(w:Webhook)
         RETURN ${projection} AS webhook, w.channel = $channel AND w.url = $url AS same`,
        { tenantId, ...webhook },
      );
      const same = existing.records.find((record) => record.get('same') === true);
      if (same) return { status: 'existing', webhook: same.get('webhook') as WebhookRecord };
      if (existing.records.length >= max) return { status: 'limit' };
      const created = await tx.run(
        `MATCH (tn:Tenant {id: $tenantId})
         CREATE (tn)-[:NOTIFIES]->(w:Webhook {id: $id, tenantId: $tenantId, channel: $channel, url: $url, createdAt: datetime()})
         RETURN ${projection} AS webhook`,
        { tenantId, id: newWebhookId(), ...webhook },
      );
      return { status: 'created', webhook: created.records[0]?.get('webhook') as WebhookRecord };
    });
  }

  async list(tenantId: string): Promise<WebhookRecord[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (:Tenant {id: $tenantId})-[:NOTIFIES]->(w:Webhook)
       RETURN ${projection} AS webhook ORDER BY w.createdAt, w.id`,
      { tenantId },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return records.map((record) => record.get('webhook') as WebhookRecord);
  }

  /** The tenant's webhook with this id; null when there is none (or it is another tenant's). */
  async get(tenantId: string, id: string): Promise<WebhookRecord | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (:Tenant {id: $tenantId})-[:NOTIFIES]->(w:Webhook {id: $id}) RETURN ${projection} AS webhook`,
      { tenantId, id },
      { database: this.database, routing: neo4j.routing.READ },
    );
    return (records[0]?.get('webhook') as WebhookRecord | undefined) ?? null;
  }

  /** Deletes the tenant's webhook with this id; returns it, or null when there was none. */
  async remove(tenantId: string, id: string): Promise<WebhookRecord | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (:Tenant {id: $tenantId})-[:NOTIFIES]->(w:Webhook {id: $id})
       WITH w, ${projection} AS webhook
       DETACH DELETE w
       RETURN webhook`,
      { tenantId, id },
      { database: this.database },
    );
    return (records[0]?.get('webhook') as WebhookRecord | undefined) ?? null;
  }
}
