import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry, loadConfig, type MetricSpec, metricSpecs } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  alertRuleQueries,
  dashboardFiles,
  dashboardPanels,
  dashboardQueries,
  grafanaVariablesIn,
  metricNamesIn,
  panelAndRuleQueries,
} from './queries';

const root = fileURLToPath(new URL('../../', import.meta.url));
const opsDir = join(root, 'ops');

// The fields of the configuration files the tests read (parsed files are cast, then checked).
interface PrometheusConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
}
interface AlertRule {
  alert: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface RuleTests {
  tests: { alert_rule_test: { alertname: string }[] }[];
}
interface ComposeService {
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}
interface Dashboard {
  uid: string;
  schemaVersion: number;
  templating: { list: Record<string, unknown>[] };
}

const readYaml = <T>(path: string): T => parse(readFileSync(join(root, path), 'utf8'), { merge: true }) as T;
const composeFile = readYaml<ComposeFile>('ops/compose.yml');
const service = (name: string): ComposeService => composeFile.services[name] ?? expect.fail(`no ${name} service`);
const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-org-prometheus-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs promtool; fails with its output, or with how to install it when it is missing. */
const promtool = (...args: string[]): string => {
  const run = spawnSync('promtool', args, { cwd: root, encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('promtool is not installed: `apt-get install prometheus` (Debian; .ci/run does this in CI)');
  }
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return `${run.stdout}${run.stderr}`;
};

const specs: readonly MetricSpec[] = Object.values(metricSpecs);
const histogramSuffixes = ['_bucket', '_sum', '_count'];
/** Every series name the catalogue's metrics export → its catalogue entry. */
const catalogue = new Map(
  specs.flatMap((spec) =>
    spec.type === 'histogram'
      ? histogramSuffixes.map((suffix) => [`${spec.name}${suffix}`, spec] as const)
      : [[spec.name, spec] as const],
  ),
);
/** The series names of prom-client's default metrics, as every process exports them. */
const defaultMetricNames = async (): Promise<Set<string>> => {
  const metrics = await createMetricsRegistry().getMetricsAsJSON();
  return new Set(
    metrics.flatMap(({ name, type }) =>
      String(type) === 'histogram' ? histogramSuffixes.map((suffix) => `${name}${suffix}`) : [name],
    ),
  );
};
const dashboardMetricNames = (): string[] =>
  dashboardFiles.flatMap(dashboardQueries).flatMap((q) => metricNamesIn(q.expr));

describe('Prometheus configuration', () => {
  const local = readYaml<PrometheusConfig>('ops/prometheus.yml');
  const compose = readYaml<PrometheusConfig>('ops/prometheus/compose.prometheus.yml');
  const jobs = (config: PrometheusConfig) =>
    Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((s) => s.targets)]),
    );

  it('passes promtool check config, locally and laid out as compose mounts it into the container', () => {
    expect(promtool('check', 'config', 'ops/prometheus.yml')).toContain('SUCCESS');
    const container = tempDir();
    for (const volume of service('prometheus').volumes ?? []) {
      const [source = '', target = ''] = volume.split(':');
      if (!source.startsWith('.')) continue;
      mkdirSync(dirname(join(container, target)), { recursive: true });
      cpSync(resolve(opsDir, source), join(container, target), { recursive: true });
    }
    expect(promtool('check', 'config', join(container, 'etc/prometheus/prometheus.yml'))).toContain('SUCCESS');
  });

  it('scrapes api, workers and orchestrator on their default metrics ports and loads the same rules in both', () => {
    const { http, workers, orchestrator } = loadConfig({});
    const ports = Object.entries({
      api: http.metricsPort,
      workers: workers.metricsPort,
      orchestrator: orchestrator.metricsPort,
    });
    expect(jobs(local)).toEqual(Object.fromEntries(ports.map(([job, port]) => [job, [`127.0.0.1:${port}`]])));
    expect(jobs(compose)).toEqual(Object.fromEntries(ports.map(([job, port]) => [job, [`${job}:${port}`]])));
    expect(local.rule_files).toEqual(['prometheus/alert-rules.yml']);
    expect(compose.rule_files).toEqual(local.rule_files);
    for (const config of [local, compose]) {
      expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s' });
    }
  });

  it('has valid alert rules whose promtool unit tests pass and cover every alert', () => {
    expect(promtool('check', 'rules', 'ops/prometheus/alert-rules.yml')).toContain('SUCCESS');
    expect(promtool('test', 'rules', 'ops/prometheus/alert-rules.test.yml')).toContain('SUCCESS');
    const { tests } = readYaml<RuleTests>('ops/prometheus/alert-rules.test.yml');
    const tested = new Set(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect([...tested].sort()).toEqual(
      alertRuleQueries()
        .map((q) => q.where.split(': ')[1])
        .sort(),
    );
  });

  it('defines the four ai-org alerts with their delays, a severity and annotations naming the tenant', () => {
    const { groups } = readYaml<RuleFile>('ops/prometheus/alert-rules.yml');
    expect(groups.map((g) => g.name)).toEqual(['ai-org']);
    const rules = groups.flatMap((g) => g.rules);
    expect(Object.fromEntries(rules.map((r) => [r.alert, [r.for, r.labels.severity]]))).toEqual({
      AiOrgBudgetLow: ['0m', 'warning'],
      AiOrgBudgetExhausted: ['0m', 'critical'],
      AiOrgTasksFailing: ['1m', 'warning'],
      AiOrgQueueStuck: ['10m', 'warning'],
    });
    for (const { annotations } of rules) {
      expect(annotations.summary).toContain('{{ $labels.tenant }}');
      expect(annotations.description).toContain('{{ $labels.tenant }}');
    }
  });
});

describe('dashboards', () => {
  const dashboards = dashboardFiles.map((file) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Dashboard);
  const [datasource] = readYaml<{ datasources: Record<string, unknown>[] }>(
    'ops/grafana/provisioning/datasources/prometheus.yml',
  ).datasources;

  it('put a query on every panel, including the panels of collapsed rows', () => {
    for (const file of dashboardFiles) {
      const panels = dashboardPanels(file);
      expect(panels.length).toBeGreaterThan(5);
      for (const panel of panels) {
        expect(
          panel.targets.some((t) => t.expr.trim() !== ''),
          `${file}: ${panel.title}`,
        ).toBe(true);
      }
    }
    expect(dashboardPanels('dashboards/admin_dashboard.json').map((p) => p.title)).toContain('CPU by job');
  });

  it('use only catalogue metrics and prom-client default metrics, as do the alert rules', async () => {
    const defaults = await defaultMetricNames();
    for (const { where, expr } of panelAndRuleQueries()) {
      const names = metricNamesIn(expr);
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) expect(catalogue.has(name) || defaults.has(name), `${where}: ${name}`).toBe(true);
    }
  });

  it('filter every tenant-labelled metric by $tenant, take the max of tenant gauges, and use no other variables', () => {
    const allowed = ['tenant', '__rate_interval', '__range'];
    for (const { where, expr } of dashboardFiles.flatMap(dashboardQueries)) {
      expect(
        grafanaVariablesIn(expr).filter((v) => !allowed.includes(v)),
        where,
      ).toEqual([]);
      for (const name of metricNamesIn(expr)) {
        const spec = catalogue.get(name);
        if (!spec?.labels.includes('tenant')) continue;
        for (const [selector, matchers] of expr.matchAll(
          new RegExp(`(?<![\\w:])${name}(?![\\w:])(\\{[^}]*\\})?`, 'g'),
        )) {
          expect(matchers ?? '', `${where}: ${selector}`).toContain('tenant=~"$tenant"');
        }
        // Several orchestrators may report the same tenant.
        if (spec.type === 'gauge') expect(expr, where).toMatch(/max by \(tenant\b/);
      }
    }
  });

  it('cover the metrics the observability issue asks for', () => {
    const used = new Set(dashboardMetricNames().map((name) => catalogue.get(name)?.name));
    const required = [
      'taskDuration',
      'llmTokens',
      'budgetLeftUsd',
      'budgetReservedUsd',
      'budgetSpentUsd',
      'blockedTasks',
      'criticalPathTasks',
      'criticalPathTokens',
      'progressRatio',
      'queueJobs',
    ] as const satisfies readonly (keyof typeof metricSpecs)[];
    expect(required.filter((key) => !used.has(metricSpecs[key].name))).toEqual([]);
  });

  it('point every panel, target and variable at the provisioned Prometheus datasource', () => {
    expect(datasource).toMatchObject({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' });
    const expected = { type: 'prometheus', uid: datasource?.uid };
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) visit(item, `${path}[${i}]`);
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const ds = record.datasource as { type?: string } | undefined;
      if ('targets' in record || 'expr' in record || record.type === 'query') expect(ds, path).toBeDefined();
      if (ds !== undefined && ds.type !== 'grafana') expect(ds, path).toEqual(expected); // built-in annotations
      for (const [key, value] of Object.entries(record)) visit(value, `${path}.${key}`);
    };
    for (const [i, dashboard] of dashboards.entries()) visit(dashboard, dashboardFiles[i] ?? '');
  });

  it('have distinct uids and a multi-select tenant variable over the tenants with a budget', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    for (const dashboard of dashboards) {
      expect(dashboard.schemaVersion).toBe(39);
      expect(dashboard.templating.list.find((v) => v.name === 'tenant')).toMatchObject({
        type: 'query',
        definition: `label_values(${metricSpecs.budgetLeftUsd.name}, tenant)`,
        includeAll: true,
        multi: true,
      });
    }
  });

  it('are provisioned from the directory compose mounts into Grafana', () => {
    const { providers } = readYaml<{ providers: { options: { path: string } }[] }>(
      'ops/grafana/provisioning/dashboards/ai-org.yml',
    );
    const mounts = (service('grafana').volumes ?? []).map((v) => v.split(':'));
    expect(mounts).toContainEqual(['../dashboards', providers[0]?.options.path, 'ro']);
    expect(mounts).toContainEqual(['./grafana/provisioning', '/etc/grafana/provisioning', 'ro']);
  });
});

describe('dashboard and alert queries', () => {
  // One series per catalogue metric (its job = its source) and per default metric the dashboards read,
  // 10 minutes at the 15s scrape interval, with every alert condition holding.
  const sample: Record<string, string> = {
    tenant: 't1',
    role: 'dev',
    outcome: 'done',
    type: 'prompt',
    kind: 'task_failed',
    channel: 'slack',
    event: 'task_failed',
    operation_type: 'query',
  };
  const series = (name: string, labels: Record<string, string>, values: string) => ({
    series: `${name}{${Object.entries(labels)
      .map(([key, value]) => `${key}="${value}"`)
      .join(',')}}`,
    values,
  });
  const workload = async () => {
    const out = specs.flatMap((spec) => {
      const labels: Record<string, string> = { job: spec.source, instance: `${spec.source}:1` };
      for (const label of spec.labels.filter((l) => l !== 'state')) {
        labels[label] = sample[label] ?? expect.fail(`no sample value for label ${label}`);
      }
      if (spec.type === 'histogram') {
        const bounds = [...(spec.buckets ?? []), '+Inf'];
        return [
          ...bounds.map((le) => series(`${spec.name}_bucket`, { ...labels, le: String(le) }, '0+1x40')),
          series(`${spec.name}_sum`, labels, '0+0.5x40'),
          series(`${spec.name}_count`, labels, '0+1x40'),
        ];
      }
      if (spec.labels.includes('state')) {
        return [
          series(spec.name, { ...labels, state: 'waiting' }, '3x40'),
          series(spec.name, { ...labels, state: 'active' }, '0x40'),
        ];
      }
      if (spec.type === 'counter') return [series(spec.name, labels, '0+5x40')];
      return [series(spec.name, labels, spec.name === metricSpecs.budgetSpentRatio.name ? '0.97x40' : '1x40')];
    });
    const defaults = await defaultMetricNames();
    for (const name of new Set(dashboardMetricNames().filter((n) => defaults.has(n)))) {
      for (const job of ['api', 'workers', 'orchestrator'])
        out.push(series(name, { job, instance: `${job}:1` }, '0+1x40'));
    }
    return out;
  };

  it('each return a series over a workload shaped like the catalogue', { timeout: 30_000 }, async () => {
    const input_series = await workload();
    const tests = panelAndRuleQueries().map(({ where, expr }) => ({
      name: where,
      interval: '15s',
      input_series,
      promql_expr_test: [
        { expr: `count((${expr})) > bool 0`, eval_time: '10m', exp_samples: [{ labels: '{}', value: 1 }] },
      ],
    }));
    const file = join(tempDir(), 'queries.test.yml');
    writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '15s', tests }));
    expect(promtool('test', 'rules', file)).toContain('SUCCESS');
  });
});

describe('Docker compose stack', () => {
  const app = ['api', 'workers', 'orchestrator'];

  it('brings up Neo4j, Redis, the migration, the three app processes, Prometheus and Grafana', () => {
    expect(Object.keys(composeFile.services).sort()).toEqual(
      ['api', 'grafana', 'migrate', 'neo4j', 'orchestrator', 'prometheus', 'redis', 'workers'].sort(),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's variable syntax, with the seed's password
    expect(service('grafana').environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:-prom-graph}');
  });

  it('mounts only files and directories that exist, and only declared named volumes', () => {
    for (const [name, { volumes = [] }] of Object.entries(composeFile.services)) {
      for (const volume of volumes) {
        const [source = ''] = volume.split(':');
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(resolve(opsDir, source)), `${name}: ${volume}`).toBe(true);
        } else expect(Object.keys(composeFile.volumes), `${name}: ${volume}`).toContain(source);
      }
    }
  });

  it('runs the app processes from the root Dockerfile on the compose network, after the migration', () => {
    expect(existsSync(join(root, '.dockerignore'))).toBe(true);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-bookworm-slim$[\s\S]*npm ci/m);
    for (const name of [...app, 'migrate']) {
      const { build, command = [], environment } = service(name);
      expect(resolve(opsDir, build?.context ?? '', build?.dockerfile ?? ''), name).toBe(join(root, 'Dockerfile'));
      const entries = command.join(' ').match(/[\w/.-]+\.ts\b/g) ?? [];
      expect(entries.length, name).toBeGreaterThan(0);
      for (const entry of entries) expect(existsSync(join(root, entry)), `${name}: ${entry}`).toBe(true);
      expect(environment).toMatchObject({
        NEO4J_URI: 'bolt://neo4j:7687',
        REDIS_URL: 'redis://redis:6379',
        HOST: '0.0.0.0',
        LOG_FORMAT: 'json',
      });
    }
    for (const name of app) {
      expect(service(name).depends_on?.migrate, name).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it("copies every workspace's package.json into the image before npm ci, so the install matches the lockfile", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('npm ci'));
    const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
    const missing = workspaces.filter(
      (workspace) => !beforeInstall.includes(`COPY ${workspace}/package.json ${workspace}/`),
    );
    expect(missing).toEqual([]);
  });
});
