import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The PromQL the Grafana dashboards and the alert rules run, read from the files themselves, so tests
 * can check the metric names they use and run them against a Prometheus. Paths are relative to the
 * repository root.
 */
export const dashboardFiles = ['dashboards/admin_dashboard.json', 'dashboards/ai_org_overview.json'] as const;
export const alertRulesFile = 'ops/prometheus/alert-rules.yml';

/** One query, and where it comes from (`<file>: <panel title> [<refId>]` or `<file>: <alert name>`). */
export interface Query {
  readonly where: string;
  readonly expr: string;
}

/** A dashboard panel (rows excluded, panels of collapsed rows included) and its targets' queries. */
export interface DashboardPanel {
  readonly title: string;
  readonly type: string;
  readonly targets: readonly { readonly refId: string; readonly expr: string }[];
}

/** The value each Grafana variable the dashboards may use stands for in a direct Prometheus query. */
export const grafanaVariableValues: Readonly<Record<string, string>> = {
  tenant: '.+', // the tenant variable's "All" value
  __rate_interval: '1m', // 4 × the 15s scrape interval, as Grafana computes it
  __range: '5m',
};

// $name, ${name}, ${name:format} and the deprecated [[name]].
const variablePattern = /\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]/g;

/** The Grafana variables an expression refers to, without the `$`. */
export const grafanaVariablesIn = (expr: string): string[] => [
  ...new Set([...expr.matchAll(variablePattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')),
];

/** Replaces the variables of `grafanaVariableValues`; leaves any other one as it is. */
export const substituteGrafanaVariables = (expr: string): string =>
  expr.replace(variablePattern, (match, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return Object.hasOwn(grafanaVariableValues, name) ? (grafanaVariableValues[name] ?? match) : match;
  });

const promqlKeywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'start', 'end']);

/**
 * The metric names an expression selects: identifiers outside strings, label matchers, ranges and
 * `by (…)`-style label lists that are neither functions, aggregations nor keywords.
 */
export const metricNamesIn = (expr: string): string[] => {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = bare.match(/(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()/g) ?? [];
  return [...new Set(names.filter((name) => !promqlKeywords.has(name.toLowerCase())))].sort();
};

const repoPath = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const flattenPanels = (panels: unknown[]): unknown[] =>
  panels.flatMap((panel) => (field(panel, 'type') === 'row' ? flattenPanels(list(field(panel, 'panels'))) : [panel]));

/** The panels of a dashboard file, with the queries of their targets as written (variables intact). */
export const dashboardPanels = (file: string): DashboardPanel[] => {
  const dashboard: unknown = JSON.parse(readFileSync(repoPath(file), 'utf8'));
  return flattenPanels(list(field(dashboard, 'panels'))).map((panel) => ({
    title: text(field(panel, 'title')),
    type: text(field(panel, 'type')),
    targets: list(field(panel, 'targets')).map((t) => ({
      refId: text(field(t, 'refId')),
      expr: text(field(t, 'expr')),
    })),
  }));
};

/** Every panel target's query of a dashboard file, as written. */
export const dashboardQueries = (file: string): Query[] =>
  dashboardPanels(file).flatMap((panel) =>
    panel.targets.map((t) => ({ where: `${file}: ${panel.title} [${t.refId}]`, expr: t.expr })),
  );

/** Every rule's expression in a Prometheus rules file. */
export const alertRuleQueries = (file: string = alertRulesFile): Query[] => {
  const rules: unknown = parse(readFileSync(repoPath(file), 'utf8'));
  return list(field(rules, 'groups')).flatMap((group) =>
    list(field(group, 'rules')).map((rule) => ({
      where: `${file}: ${text(field(rule, 'alert')) || text(field(rule, 'record'))}`,
      expr: text(field(rule, 'expr')).trim(),
    })),
  );
};

/** Every dashboard and alert query, ready for Prometheus' HTTP API (Grafana variables substituted). */
export const panelAndRuleQueries = (): Query[] =>
  [...dashboardFiles.flatMap(dashboardQueries), ...alertRuleQueries()].map((q) => ({
    where: q.where,
    expr: substituteGrafanaVariables(q.expr),
  }));
