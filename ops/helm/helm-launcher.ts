import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object: only the fields every object has are typed; the rest is read where needed. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

export interface HelmRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const helmDir = fileURLToPath(new URL('./', import.meta.url));
export const chartDir = fileURLToPath(new URL('./ai-org/', import.meta.url));
const launcher = fileURLToPath(new URL('./launcher/run.sh', import.meta.url));

/** `helm lint` or `helm template` through the Maven-built launcher (helm-java's native Helm; no cluster). */
export const runHelm = (command: 'lint' | 'template', args: readonly string[] = []): HelmRun => {
  const run = spawnSync(launcher, [command, chartDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
};

/** Every object of a multi-document YAML stream; a document that does not parse fails. */
export const parseManifests = (text: string): K8sObject[] =>
  parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`rendered YAML does not parse: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value as K8sObject];
  });

/** Renders the chart and parses it; throws with Helm's reason when rendering fails. */
export const renderChart = (args: readonly string[] = []): K8sObject[] => {
  const run = runHelm('template', args);
  if (run.status !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${run.stderr}`);
  return parseManifests(run.stdout);
};
