import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ai-org/testing';
import { parse, stringify } from 'yaml';

const opsDir = fileURLToPath(new URL('..', import.meta.url));

/** One series of an instant query: its labels and value (a string, as Prometheus sends it; may be "NaN"). */
export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: readonly [number, string];
}

export type QueryResult = { ok: true; samples: Sample[] } | { ok: false; error: string };

export interface RunningPrometheus {
  readonly url: string;
  /** Instant query through the HTTP API; a PromQL error comes back as `{ ok: false }`. */
  query(expr: string): Promise<QueryResult>;
  /** The scrape targets' health, by job. */
  targets(): Promise<{ job: string; health: string; lastError: string }[]>;
  /** The rule groups' rules as Prometheus evaluates them (health "ok" or "err"). */
  rules(): Promise<{ name: string; health: string; lastError?: string }[]>;
  /** Resolves once every target has been scraped successfully; rejects with their state after `timeoutMs`. */
  targetsUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** How long Prometheus gets to answer /-/ready: it is ready in about a second with an empty data directory. */
const readyDeadlineMs = 30_000;
const readyPollIntervalMs = 100;

interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[] }[];
}

/**
 * Debian's `prometheus`, run with the project's own `ops/prometheus.yml` — same jobs, same alert
 * rules — with the targets pointed at the given ports, a 1 s scrape and evaluation interval, and a
 * throwaway data directory.
 */
export const startPrometheus = async (scrapeTargets: Record<string, string>): Promise<RunningPrometheus> => {
  const dir = await mkdtemp(join(tmpdir(), 'ai-org-prometheus-'));
  const config = parse(await readFile(join(opsDir, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: ScrapeConfig[];
  };
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = config.rule_files.map((file) => join(opsDir, file));
  for (const scrape of config.scrape_configs) {
    const target = scrapeTargets[scrape.job_name];
    if (!target) throw new Error(`no target given for the scrape job "${scrape.job_name}"`);
    scrape.static_configs = [{ targets: [target] }];
  }
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_resolve, reject) =>
    child.once('error', (error) =>
      reject(new Error(`could not start prometheus (is it installed?): ${error.message}`)),
    ),
  );

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(body.error ?? `prometheus answered ${response.status}`);
    return body.data;
  };

  const readyDeadline = Date.now() + readyDeadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited at start:\n${output}`);
    const ready = await Promise.race([
      fetch(`${url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      ),
      spawnError,
    ]);
    if (ready) break;
    if (Date.now() > readyDeadline) {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`prometheus was not ready within ${readyDeadlineMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, readyPollIntervalMs));
  }

  const targets: RunningPrometheus['targets'] = async () => {
    const data = await api<{ activeTargets: { labels: { job: string }; health: string; lastError: string }[] }>(
      '/api/v1/targets',
    );
    return data.activeTargets.map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }));
  };

  return {
    url,
    targets,
    async targetsUp(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = await targets();
        if (state.length > 0 && state.every((t) => t.health === 'up')) return;
        if (Date.now() > deadline) throw new Error(`targets not up: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; data?: { result: Sample[] }; error?: string };
      return body.status === 'success'
        ? { ok: true, samples: body.data?.result ?? [] }
        : { ok: false, error: body.error ?? `HTTP ${response.status}` };
    },
    async rules() {
      const data = await api<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>(
        '/api/v1/rules',
      );
      return data.groups.flatMap((group) => group.rules);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
};
