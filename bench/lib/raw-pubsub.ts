import { performance } from 'node:perf_hooks';
import { createRedisClient } from '@ai-org/core';
import { pollValue, waitUntil } from './wait-until';

type RedisClient = ReturnType<typeof createRedisClient>;

export interface RawPubSubResult {
  /** Publish → receipt, one sample per subscriber and message, in ms. */
  readonly latencies: number[];
  /** Subscribers that received every message once, in order. */
  readonly complete: number;
  /** PUBSUB NUMSUB of the channel once every subscriber disconnected. */
  readonly subscribersLeft: number;
}

/**
 * The baseline of B3: `subscribers` ioredis connections SUBSCRIBEd to one channel, `messages` PUBLISHes
 * of `payload` one after another (each once every subscriber has the previous one); each receipt parses
 * the message, as a graphql-ws client does.
 */
export const rawPubSub = async (options: {
  readonly redisUrl: string;
  readonly channel: string;
  readonly subscribers: number;
  readonly messages: number;
  readonly payload: Readonly<Record<string, unknown>>;
}): Promise<RawPubSubResult> => {
  const { redisUrl, channel, subscribers, messages, payload } = options;
  const publisher = createRedisClient(redisUrl, 'worker', 'bench-raw-publisher');
  await publisher.connect();
  const received: number[][] = Array.from({ length: subscribers }, () => []);
  const receivedAt: number[][] = Array.from({ length: subscribers }, () => []);
  const clients: RedisClient[] = [];
  try {
    for (let first = 0; first < subscribers; first += 100) {
      const batch = Array.from({ length: Math.min(100, subscribers - first) }, (_, k) => {
        const index = first + k;
        const client = createRedisClient(redisUrl, 'worker', `bench-raw-${index}`);
        client.on('message', (_channel: string, message: string) => {
          const at = performance.now();
          received[index]?.push((JSON.parse(message) as { n: number }).n);
          receivedAt[index]?.push(at);
        });
        clients.push(client);
        return client.connect().then(() => client.subscribe(channel));
      });
      await Promise.all(batch);
    }
    const latencies: number[] = [];
    for (let n = 0; n < messages; n += 1) {
      const sentAt = performance.now();
      await publisher.publish(channel, JSON.stringify({ ...payload, n }));
      await waitUntil(() => received.every((r) => r.length > n), `raw message ${n}`);
      for (const times of receivedAt) latencies.push((times[n] ?? Number.NaN) - sentAt);
    }
    const complete = received.filter((r) => r.length === messages && r.every((n, i) => n === i)).length;
    for (const client of clients.splice(0)) client.disconnect();
    const subscribersLeft = await pollValue(
      async () => Number(((await publisher.pubsub('NUMSUB', channel)) as [string, number])[1]),
      (left) => left === 0,
      10_000,
    );
    return { latencies, complete, subscribersLeft };
  } finally {
    for (const client of clients) client.disconnect();
    publisher.disconnect();
  }
};
