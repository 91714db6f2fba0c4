/**
 * B3 live events: BENCH_SUBSCRIBERS (1,000) graphql-ws subscribers to `events` on one tenant; a mutation
 * (createTask) → receipt at each subscriber, p50/p99 over BENCH_EVENTS (20) events, against raw Redis
 * pub/sub to as many ioredis subscribers in the same run. Also the API's memory per socket (its own
 * process, after a full GC) and the release of closed sockets (connection gauge, PUBSUB NUMSUB).
 * Checks: every subscriber got every event once, in order, and none of another tenant's.
 * Run: npx tsx bench/live.bench.ts (Neo4j and Redis running); BENCH_API_CPU_PROF=<dir> profiles the API.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRedisClient, loadConfig, tenantEventChannel } from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import { deleteTenantData, freePort, isContiguous, type LiveEvent, subscribe, warmUp } from '@ai-org/testing';
import { startApiProcess } from './lib/api-process';
import { rawPubSub } from './lib/raw-pubsub';
import { type Check, type Comparison, percentiles, saveSection } from './lib/report';
import { pollValue, waitUntil } from './lib/wait-until';

const subscriberCount = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const eventCount = Number(process.env.BENCH_EVENTS ?? 20);
const otherSubscriberCount = 10;

const config = loadConfig(process.env);
const suffix = randomBytes(4).toString('hex');
const tenant = `bench-live-${suffix}`;
const other = `bench-live-other-${suffix}`;
const metricsPort = await freePort();
const api = await startApiProcess(
  {
    NODE_ENV: 'test',
    PORT: '0',
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'silent',
    DEFAULT_TENANT: '',
    WORKER_TENANTS: `${tenant},${other}`,
    // One caller opens every socket from 127.0.0.1: the per-address, per-caller and per-tenant caps would refuse it.
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_MINUTE: '1000000',
    MAX_SOCKETS_PER_TENANT: String(subscriberCount + otherSubscriberCount + 100),
    TENANT_MAX_CONCURRENT_OPERATIONS: '100000',
  },
  // Where the API's time goes: a V8 CPU profile of the API process (open it in Chrome's DevTools).
  { cpuProfileDir: process.env.BENCH_API_CPU_PROF },
);
const redis = createRedisClient(config.redis.url, 'worker', 'bench-live');
await redis.connect();
const bolt = createNeo4jDriver(config.neo4j);

const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const gql = async (tenantId: string, description: string): Promise<string> => {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant-id': tenantId },
    body: JSON.stringify({ query: createTask, variables: { input: { description, owner: 'bench' } } }),
  });
  const body = (await response.json()) as { data?: { createTask: { id: string } }; errors?: unknown[] };
  if (!body.data) throw new Error(`createTask failed: ${JSON.stringify(body.errors)}`);
  return body.data.createTask.id;
};
const connectionGauge = async (): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^ai_org_subscription_connections(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
};
const numsub = async (tenantId: string): Promise<number> =>
  Number(((await redis.pubsub('NUMSUB', tenantEventChannel(tenantId))) as [string, number])[1]);

/** Each subscriber's receipts of the measured events: description → [ms since start, publisher's time]. */
type Receipts = Map<string, { readonly at: number; readonly lagMs: number }>;
const open = (tenantId: string, count: number) =>
  Array.from({ length: count }, () => {
    const receipts: Receipts = new Map();
    const onEvent = (event: LiveEvent) => {
      const description = event.task?.description ?? '';
      receipts.set(description, { at: performance.now(), lagMs: Date.now() - Date.parse(event.at) });
    };
    return { receipts, sub: subscribe(api.wsUrl, { 'x-tenant-id': tenantId }, onEvent) };
  });

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const checks: Check[] = [];
const figures: Record<string, string> = {};
let comparisons: Comparison[] = [];
try {
  // The paths the measurement takes, warmed once, before the baseline memory figure.
  await gql(tenant, 'warm-up');
  await gql(other, 'warm-up');
  const before = await api.memory();

  console.error(`opening ${subscriberCount} sockets…`);
  const clients: ReturnType<typeof open> = [];
  for (let first = 0; first < subscriberCount; first += 100) {
    const batch = open(tenant, Math.min(100, subscriberCount - first));
    await Promise.all(batch.map(({ sub }) => sub.connected));
    clients.push(...batch);
  }
  const others = open(other, otherSubscriberCount);
  await warmUp(
    clients.map(({ sub }) => sub),
    () => gql(tenant, 'warm-up'),
  );
  await warmUp(
    others.map(({ sub }) => sub),
    () => gql(other, 'warm-up'),
  );
  const opened = await api.memory();
  const gaugeOpen = await connectionGauge();

  console.error(`measuring ${eventCount} events…`);
  const endToEnd: number[] = [];
  const fanOut: number[] = [];
  const mutationMs: number[] = [];
  const otherIds: string[] = [];
  for (let i = 0; i < eventCount; i += 1) {
    const description = `bench ${i}`;
    const sentAt = performance.now();
    await gql(tenant, description);
    mutationMs.push(performance.now() - sentAt);
    await waitUntil(() => clients.every(({ receipts }) => receipts.has(description)), `event ${i}`);
    for (const { receipts } of clients) {
      const receipt = receipts.get(description);
      endToEnd.push((receipt?.at ?? Number.NaN) - sentAt);
      fanOut.push(receipt?.lagMs ?? Number.NaN);
    }
    otherIds.push(await gql(other, `other ${i}`));
  }
  // One closing event per tenant after the load: the API reads both channels over one Redis connection,
  // which delivers in publish order, so anything still to come (a repeat, the other tenant's) came before it.
  await gql(tenant, 'end');
  await gql(other, 'end');
  await waitUntil(() => [...clients, ...others].every(({ receipts }) => receipts.has('end')), 'the closing events');

  const measured = (events: readonly LiveEvent[], prefix: string) =>
    events.map((e) => e.task?.description ?? '').filter((d) => d.startsWith(prefix));
  const expected = (prefix: string) => Array.from({ length: eventCount }, (_, i) => `${prefix}${i}`).join('|');
  const complete = clients.filter(
    ({ sub }) => measured(sub.events, 'bench ').join('|') === expected('bench ') && isContiguous(sub.events),
  ).length;
  const leaked = clients.filter(({ sub }) =>
    sub.events.some((e) => e.task && (otherIds.includes(e.task.id) || e.task.description.startsWith('other '))),
  ).length;
  const othersComplete = others.filter(
    ({ sub }) =>
      measured(sub.events, 'other ').join('|') === expected('other ') &&
      !sub.events.some((e) => e.task?.description.startsWith('bench ')) &&
      isContiguous(sub.events),
  ).length;
  checks.push(
    {
      name: 'every subscriber got every event once, in order',
      ok: complete === subscriberCount,
      detail: `${complete}/${subscriberCount} subscribers got all ${eventCount} events in sequence`,
    },
    {
      name: "no subscriber got another tenant's event",
      ok: leaked === 0 && othersComplete === otherSubscriberCount,
      detail: `${leaked} of ${subscriberCount} saw the other tenant's events; ${othersComplete}/${otherSubscriberCount} of the other tenant's subscribers got exactly its ${eventCount}`,
    },
  );

  console.error('closing the sockets…');
  const closedAt = performance.now();
  await Promise.all([...clients, ...others].map(({ sub }) => sub.dispose()));
  const gaugeClosed = await pollValue(connectionGauge, (n) => n === 0);
  const channelsLeft = await pollValue(
    async () => (await numsub(tenant)) + (await numsub(other)),
    (n) => n === 0,
  );
  const releaseMs = performance.now() - closedAt;
  const closed = await api.memory();
  checks.push({
    name: 'closed sockets are released',
    ok: gaugeClosed === 0 && channelsLeft === 0,
    detail: `connection gauge ${gaugeOpen} → ${gaugeClosed}, PUBSUB NUMSUB of both tenant channels → ${channelsLeft} (${releaseMs.toFixed(0)} ms after closing)`,
  });

  console.error(`raw Redis pub/sub to ${subscriberCount} subscribers…`);
  const lastEvent = clients[0]?.sub.events.at(-1);
  const raw = await rawPubSub({
    redisUrl: config.redis.url,
    channel: `bench-raw.${suffix}`,
    subscribers: subscriberCount,
    messages: eventCount,
    payload: { ...lastEvent },
  });
  checks.push({
    name: 'raw pub/sub baseline delivered everything',
    ok: raw.complete === subscriberCount && raw.subscribersLeft === 0,
    detail: `${raw.complete}/${subscriberCount} subscribers got all ${eventCount} messages in order; NUMSUB after → ${raw.subscribersLeft}`,
  });

  const platform = percentiles(endToEnd);
  const publishToReceipt = percentiles(fanOut);
  const baseline = percentiles(raw.latencies);
  const mutation = percentiles(mutationMs);
  comparisons = [
    {
      name: `p99 mutation → receipt, ${subscriberCount} subscribers`,
      platform: { label: 'createTask → event at every subscriber', value: platform.p99, unit: 'ms p99' },
      baseline: { label: 'raw PUBLISH → receipt', value: baseline.p99, unit: 'ms p99' },
      ratio: platform.p99 / baseline.p99,
      target: '≤ 100 ms',
      met: platform.p99 <= 100,
    },
    {
      name: `p50 mutation → receipt, ${subscriberCount} subscribers`,
      platform: { label: 'createTask → event at every subscriber', value: platform.p50, unit: 'ms p50' },
      baseline: { label: 'raw PUBLISH → receipt', value: baseline.p50, unit: 'ms p50' },
      ratio: platform.p50 / baseline.p50,
      target: '≤ 2× raw pub/sub p50',
      met: platform.p50 <= 2 * baseline.p50,
    },
    {
      name: 'publish → receipt (the fan-out alone)',
      platform: { label: "event's `at` → receipt", value: publishToReceipt.p50, unit: 'ms p50' },
      baseline: { label: 'raw PUBLISH → receipt', value: baseline.p50, unit: 'ms p50' },
      ratio: publishToReceipt.p50 / baseline.p50,
      target: '— (where the time goes)',
      met: null,
      note: `p99 ${publishToReceipt.p99.toFixed(0)} ms against ${baseline.p99.toFixed(1)} ms; ms resolution`,
    },
  ];
  Object.assign(figures, {
    sizes: `${subscriberCount} subscribers on one tenant (+${otherSubscriberCount} on another), ${eventCount} events, ${endToEnd.length} receipts`,
    'createTask response time': `p50 ${mutation.p50.toFixed(1)} ms, p99 ${mutation.p99.toFixed(1)} ms (included in mutation → receipt)`,
    'publish → receipt p99': `platform ${publishToReceipt.p99} ms, raw ${baseline.p99.toFixed(1)} ms`,
    'API memory per socket': `heap ${kib((opened.heapUsed - before.heapUsed) / (subscriberCount + otherSubscriberCount))}, RSS ${kib((opened.rss - before.rss) / (subscriberCount + otherSubscriberCount))} (heap ${mb(before.heapUsed)} → ${mb(opened.heapUsed)}, RSS ${mb(before.rss)} → ${mb(opened.rss)}, after a full GC)`,
    'API memory after closing them': `heap ${mb(closed.heapUsed)}, RSS ${mb(closed.rss)}`,
    'release of closed sockets': `connection gauge and NUMSUB at 0 within ${releaseMs.toFixed(0)} ms`,
  });
} catch (error) {
  console.error(error);
  checks.push({ name: 'the benchmark ran to the end', ok: false, detail: String(error) });
} finally {
  await api.stop();
  await deleteTenantData([tenant, other], { bolt, redisUrl: config.redis.url }).catch(() => undefined);
  await bolt.close();
  redis.disconnect();
}

saveSection({
  id: 'B3',
  title: `Live events: ${subscriberCount.toLocaleString('en')} subscribers on one tenant`,
  comparisons,
  checks,
  figures,
});
if (checks.some((check) => !check.ok)) process.exitCode = 1;
