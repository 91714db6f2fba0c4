/**
 * BullMQ's key prefix for every queue of one tenant (role and notification queues): `bull:{<tenant>}`.
 * BullMQ's scripts touch several keys of a queue at once, which a Redis Cluster allows only within one
 * slot; the hash tag puts all of a queue's keys in the slot of the tenant's budget, limits and event
 * keys, while different tenants spread over the cluster. Tenant ids cannot contain braces.
 * Every Queue, Worker, QueueEvents or FlowProducer of a tenant's queue must take its prefix from here.
 */
export const queuePrefix = (tenantId: string): string => `bull:{${tenantId}}`;
