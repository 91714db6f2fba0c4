import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricSpecs, queueStates } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartDir, helmDir, type K8sObject, renderChart, runHelm } from './helm-launcher';
import { UnknownKindError, validateObject } from './k8s-schemas';

// The chart rendered and linted through ops/helm/launcher (helm-java's native Helm, built by Maven on first
// use), then every object checked against its Kubernetes/CRD schema and the chart's own promises.

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}
interface Container {
  name: string;
  command?: string[];
  env?: EnvVar[];
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}
interface Workload extends K8sObject {
  spec: { replicas?: number; template: { spec: PodSpec } };
}

const repoRoot = join(helmDir, '../..');
const productionValues = join(helmDir, 'values-production.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'ai-org-chart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A values file with the given YAML, for a render with one value changed. */
const valuesFile = (name: string, yaml: string): string => {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
};

const byKind = (objects: readonly K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const named = (objects: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered`);
  return found;
};
const podSpecs = (objects: readonly K8sObject[]): [string, PodSpec][] =>
  objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => [o.metadata.name, (o as Workload).spec.template.spec]);
const allContainers = (objects: readonly K8sObject[]): [string, Container][] =>
  podSpecs(objects).flatMap(([name, pod]) =>
    [...(pod.initContainers ?? []), ...pod.containers].map((c): [string, Container] => [`${name}/${c.name}`, c]),
  );
const envOf = (container: Container, name: string): EnvVar | undefined => container.env?.find((e) => e.name === name);
const apiContainer = (objects: readonly K8sObject[]): Container => {
  const container = (named(objects, 'Deployment', 'ai-org-api') as Workload).spec.template.spec.containers[0];
  if (!container) throw new Error('the API Deployment has no container');
  return container;
};

const renders: Record<'default' | 'production', K8sObject[]> = { default: [], production: [] };

beforeAll(() => {
  renders.default = renderChart();
  renders.production = renderChart(['-f', productionValues]);
}, 300_000); // the first run builds the launcher with Maven

describe.each([
  ['default', [] as string[]],
  ['production', ['-f', productionValues]],
] as const)('the chart with the %s values', (values, args) => {
  it('passes helm lint', () => {
    const lint = runHelm('lint', args);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(lint.stdout).not.toMatch(/\[(ERROR|WARNING)\]/);
  });

  it('renders only objects that validate against their Kubernetes or CRD schema', () => {
    const objects = renders[values];
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) validateObject(object);
  });

  it('renders the API with an HPA, workers with a KEDA ScaledObject, two orchestrators, the web client and a migration hook', () => {
    const objects = renders[values];
    named(objects, 'Deployment', 'ai-org-api');
    named(objects, 'Service', 'ai-org-api');
    named(objects, 'HorizontalPodAutoscaler', 'ai-org-api');
    named(objects, 'Deployment', 'ai-org-workers');
    named(objects, 'ScaledObject', 'ai-org-workers');
    expect((named(objects, 'Deployment', 'ai-org-orchestrator') as Workload).spec.replicas).toBe(2);
    named(objects, 'Deployment', 'ai-org-web');
    named(objects, 'Ingress', 'ai-org');
    named(objects, 'ServiceMonitor', 'ai-org');
    named(objects, 'PrometheusRule', 'ai-org');
    expect(byKind(objects, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(
      expect.arrayContaining(['ai-org-api', 'ai-org-workers', 'ai-org-orchestrator', 'ai-org-web']),
    );
    const migration = named(objects, 'Job', 'ai-org-migrate');
    expect(migration.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect((migration as Workload).spec.template.spec.containers[0]?.command).toEqual([
      'node',
      '--import',
      'tsx',
      'ops/dev/migrate.main.ts',
    ]);
  });

  it('runs every container as non-root on a read-only root filesystem, with /tmp writable', () => {
    for (const [name, pod] of podSpecs(renders[values])) {
      expect(pod.securityContext?.runAsNonRoot, name).toBe(true);
      const tmp = pod.volumes?.find((v) => v.name === 'tmp');
      expect(tmp?.emptyDir, `${name}: /tmp is an emptyDir`).toBeDefined();
    }
    for (const [name, container] of allContainers(renders[values])) {
      expect(container.securityContext, name).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(
        container.volumeMounts?.some((m) => m.name === 'tmp' && m.mountPath === '/tmp'),
        name,
      ).toBe(true);
    }
  });

  it('gives every container CPU and memory requests and limits', () => {
    for (const [name, container] of allContainers(renders[values])) {
      for (const bound of ['requests', 'limits'] as const) {
        expect(Object.keys(container.resources?.[bound] ?? {}).sort(), `${name} ${bound}`).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('reads every password, secret, token and key from a Secret, never from an inline value', () => {
    const secretLike = /PASSWORD|SECRET|TOKEN$|API_KEY/;
    for (const [name, container] of allContainers(renders[values])) {
      for (const env of container.env ?? []) {
        if (secretLike.test(env.name)) {
          expect(env.value, `${name} ${env.name}`).toBeUndefined();
          expect(env.valueFrom?.secretKeyRef?.name, `${name} ${env.name}`).toBeTruthy();
        }
        // No credentials inside a URL either (redis://:password@…, neo4j://user:password@…).
        expect(env.value ?? '', `${name} ${env.name}`).not.toMatch(/:\/\/[^/\s]*@/);
      }
    }
    expect(byKind(renders[values], 'Secret')).toEqual([]);
  });

  it('gates API readiness on its health route (Neo4j and Redis answer) and keeps liveness off it', () => {
    const api = apiContainer(renders[values]);
    expect(api.readinessProbe?.httpGet).toEqual({ path: '/', port: 'http' });
    expect(api.livenessProbe?.httpGet?.path).toBe('/metrics');
    for (const [name, container] of allContainers(renders[values])) {
      if (name.endsWith('/build') || name.startsWith('ai-org-migrate/')) continue; // run to completion
      expect(container.livenessProbe, name).toBeDefined();
      expect(container.readinessProbe, name).toBeDefined();
    }
  });

  it('routes /graphql to the API through an ingress that keeps WebSockets open', () => {
    const ingress = named(renders[values], 'Ingress', 'ai-org') as K8sObject & {
      spec: { rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] };
    };
    const graphql = ingress.spec.rules[0]?.http.paths.find((p) => p.path === '/graphql');
    expect(graphql?.backend.service.name).toBe('ai-org-api');
    const timeout = Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']);
    expect(timeout).toBeGreaterThanOrEqual(3600);
    expect(Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBe(timeout);
  });

  it('scales the workers on the ai_org_queue_jobs queue depth, leaving their replica count to KEDA', () => {
    const scaled = named(renders[values], 'ScaledObject', 'ai-org-workers') as K8sObject & {
      spec: {
        scaleTargetRef: { name: string };
        triggers: { type: string; metadata: { query: string; serverAddress: string } }[];
      };
    };
    expect(scaled.spec.scaleTargetRef.name).toBe('ai-org-workers');
    const trigger = scaled.spec.triggers[0];
    expect(trigger?.type).toBe('prometheus');
    expect(trigger?.metadata.query).toContain(`${metricSpecs.queueJobs.name}{`);
    // Only labels the metric has, and only states it reports.
    const grouped = /max by \(([^)]*)\)/.exec(trigger?.metadata.query ?? '')?.[1]?.split(/,\s*/);
    expect(grouped).toEqual([...metricSpecs.queueJobs.labels]);
    for (const state of /state=~"([^"]*)"/.exec(trigger?.metadata.query ?? '')?.[1]?.split('|') ?? []) {
      expect(queueStates).toContain(state);
    }
    expect((named(renders[values], 'Deployment', 'ai-org-workers') as Workload).spec.replicas).toBeUndefined();
  });

  it('ships the alert rules and both dashboards exactly as the repository has them', () => {
    const rule = named(renders[values], 'PrometheusRule', 'ai-org') as K8sObject & { spec: unknown };
    const source = parse(readFileSync(join(repoRoot, 'ops/prometheus/alert-rules.yml'), 'utf8')) as { groups: unknown };
    expect(rule.spec).toEqual({ groups: source.groups });
    const dashboards = byKind(renders[values], 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    const files = readdirSync(join(repoRoot, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(dashboards).toHaveLength(files.length);
    for (const file of files) {
      const map = dashboards.find((d) => (d as K8sObject & { data: Record<string, string> }).data[file] !== undefined);
      const data = (map as (K8sObject & { data: Record<string, string> }) | undefined)?.data[file];
      expect(JSON.parse(data ?? 'null'), file).toEqual(
        JSON.parse(readFileSync(join(repoRoot, 'dashboards', file), 'utf8')),
      );
    }
  });
});

describe('the chart files copied from the repository', () => {
  it('keeps files/alert-rules.yml byte for byte equal to ops/prometheus/alert-rules.yml', () => {
    expect(readFileSync(join(chartDir, 'files/alert-rules.yml'), 'utf8')).toBe(
      readFileSync(join(repoRoot, 'ops/prometheus/alert-rules.yml'), 'utf8'),
    );
  });

  it('keeps files/dashboards byte for byte equal to dashboards/', () => {
    const sources = readdirSync(join(repoRoot, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(readdirSync(join(chartDir, 'files/dashboards')).sort()).toEqual(sources.sort());
    for (const file of sources) {
      expect(readFileSync(join(chartDir, 'files/dashboards', file), 'utf8'), file).toBe(
        readFileSync(join(repoRoot, 'dashboards', file), 'utf8'),
      );
    }
  });
});

describe('the production values', () => {
  it('use token auth, three API replicas, Neo4j Aura and a TLS Redis URL read from a Secret', () => {
    const api = apiContainer(renders.production);
    expect(envOf(api, 'AUTH_MODE')?.value).toBe('token');
    expect(envOf(api, 'NEO4J_URI')?.value).toMatch(/^neo4j\+s:\/\/.+\.databases\.neo4j\.io$/);
    expect(envOf(api, 'NEO4J_DATABASE')?.value).toBe('neo4j');
    expect(envOf(api, 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'ai-org-redis', key: 'url' });
    const hpa = named(renders.production, 'HorizontalPodAutoscaler', 'ai-org-api') as K8sObject & {
      spec: { minReplicas: number };
    };
    expect(hpa.spec.minReplicas).toBe(3);
    const ingress = named(renders.production, 'Ingress', 'ai-org') as K8sObject & { spec: { tls?: unknown[] } };
    expect(ingress.spec.tls).toHaveLength(1);
  });
});

describe('values', () => {
  it('pass a Redis Cluster node list to every process as REDIS_CLUSTER_NODES', () => {
    const file = valuesFile('cluster', 'redis:\n  clusterNodes: ["redis-0.redis:6379", "redis-1.redis:6379"]\n');
    for (const [name, container] of allContainers(renderChart(['-f', file]))) {
      if (name.endsWith('/build') || name.startsWith('ai-org-web/')) continue; // the web client has no backend env
      expect(envOf(container, 'REDIS_CLUSTER_NODES')?.value, name).toBe('redis-0.redis:6379,redis-1.redis:6379');
    }
  });

  it('read a password-protected Redis Cluster node list from a Secret', () => {
    const file = valuesFile('cluster-secret', 'redis:\n  clusterNodesSecret:\n    existingSecret: redis-cluster\n');
    const api = apiContainer(renderChart(['-f', file]));
    expect(envOf(api, 'REDIS_CLUSTER_NODES')?.valueFrom?.secretKeyRef).toEqual({ name: 'redis-cluster', key: 'nodes' });
  });

  it('refuse Redis Cluster credentials written into the node list', () => {
    const file = valuesFile('cluster-password', 'redis:\n  clusterNodes: ["rediss://u:pw@redis-0:6379"]\n');
    const run = runHelm('template', ['-f', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('redis.clusterNodes.0');
  });

  it('refuse a replica count that is not a number, naming the field', () => {
    const run = runHelm('template', ['-f', valuesFile('replicas', 'api:\n  replicas: "three"\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/api\.replicas: Invalid type\. Expected: integer, given: string/);
  });

  it('refuse an unknown auth mode, naming the field and the allowed modes', () => {
    const run = runHelm('template', ['-f', valuesFile('auth', 'auth:\n  mode: open\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('auth.mode must be one of the following: "development", "token"');
  });

  it('refuse a Neo4j password without the Secret that holds it', () => {
    const run = runHelm('template', ['-f', valuesFile('neo4j', 'neo4j:\n  password:\n    existingSecret: ""\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('neo4j.password.existingSecret');
  });

  it('refuse a Redis URL with a password in it (it belongs in a Secret)', () => {
    const run = runHelm('template', ['-f', valuesFile('redis', 'redis:\n  url: "rediss://:hunter2@redis:6380"\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('redis.url');
  });

  it('refuse a secret passed as a plain config variable', () => {
    const run = runHelm('template', ['-f', valuesFile('config', 'config:\n  OPENAI_API_KEY: sk-test\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('config: Property name of "OPENAI_API_KEY" does not match');
  });

  it('fail lint as well as template when a value is wrong', () => {
    const run = runHelm('lint', ['-f', valuesFile('lint', 'workers:\n  concurrency: 0\n')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('workers.concurrency');
  });
});

describe('the schema check of rendered objects', () => {
  it('fails on a kind it has no schema for', () => {
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(
      UnknownKindError,
    );
  });

  it('fails on an object that breaks its schema', () => {
    expect(() =>
      validateObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad' },
        spec: { replicas: 'three', selector: {}, template: {} },
      }),
    ).toThrow(/spec\/replicas must be integer/);
  });
});
