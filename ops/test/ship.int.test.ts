import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { graphqlClient } from '@ai-org/testing';
import { createHarness, type Harness } from '@ai-org/testing/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from './stack';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const adminToken = 'ship-admin';
const goalText = 'a CLI that converts CSV to JSON';

interface WorkspaceView {
  readonly id: string;
  readonly goalId: string;
  readonly files: readonly string[];
  readonly merges: readonly { readonly taskId: string }[];
  readonly testRuns: readonly {
    readonly kind: string;
    readonly exitCode: number | null;
    readonly failed: number | null;
  }[];
  readonly release: {
    readonly tag: string;
    readonly tarUrl: string;
    readonly bundleUrl: string;
    readonly tarSha256: string;
    readonly bundleSha256: string;
  } | null;
}

const workspacesQuery = `{ workspaces { id goalId files merges { taskId }
  testRuns { kind exitCode failed } release { tag tarUrl bundleUrl tarSha256 bundleSha256 } } }`;

/**
 * The "done means", as a new user runs it: the platform's three processes (API, role workers,
 * orchestrator) with the offline provider, `npm run plan -- --tenant <t> "a CLI that converts CSV to
 * JSON"`, and then the release downloaded over REST, unpacked in a fresh folder, passing its own
 * `npm test` outside the platform — and so does a clone of the git bundle.
 */
describe('a goal shipped end to end (plan → write → test → merge → ship) under the running platform', () => {
  let h: Harness;
  let stack: RunningStack;
  let root: string;
  let out: string;
  let gql: ReturnType<typeof graphqlClient>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ai-org-ship-'));
    out = await mkdtemp(join(tmpdir(), 'ai-org-shipped-'));
    h = await createHarness({ WORKSPACE_ROOT: root });
    stack = await startStack(
      {
        WORKER_TENANTS: h.tenant,
        DEFAULT_TENANT: '',
        ADMIN_TOKEN: adminToken,
        BUDGET_MIN_LEFT_USD: '0',
        ORCHESTRATOR_INTERVAL_MS: '300',
        OPENAI_API_KEY: '',
        WORKSPACE_ROOT: root,
        LOG_LEVEL: 'warn',
      },
      { startupDeadline: 90_000 },
    );
    gql = graphqlClient(stack.apiUrl, adminToken);
    await gql(h.tenant, 'mutation { setBudget(amountUsd: 5) { leftUsd } }');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await h?.close();
    await rm(root, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  /** Tasks by status, with the reasons of those not done: what a failed poll shows. */
  const taskStates = async () => {
    const { records } = await h.bolt.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.status AS status, t.description AS task, t.statusReason AS reason',
      { tenant: h.tenant },
    );
    return records
      .map((r) => `${r.get('status')}: ${String(r.get('task')).slice(0, 40)} ${r.get('reason') ?? ''}`.slice(0, 400))
      .sort();
  };

  const download = async (url: string) => {
    const response = await fetch(`${stack.apiUrl}${url}`, { headers: { 'x-tenant-id': h.tenant } });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    return { body, checksum: response.headers.get('x-checksum-sha256') };
  };

  it('ends with a bundle whose own npm test passes in a fresh folder', async () => {
    const planned = await run('npm', ['run', 'plan', '--', '--tenant', h.tenant, goalText], {
      cwd: repoRoot,
      env: { ...process.env, WORKSPACE_ROOT: root },
    });
    expect(planned.stdout).toContain(`set for tenant "${h.tenant}"`);

    let workspace: WorkspaceView | undefined;
    await expect
      .poll(
        async () => {
          workspace = (await gql<{ workspaces: WorkspaceView[] }>(h.tenant, workspacesQuery)).workspaces[0];
          return workspace?.release?.tag ?? (await taskStates());
        },
        { timeout: 240_000, interval: 1_000 },
      )
      .toBe('v1.0.0');
    const shipped = workspace as WorkspaceView;
    const statuses = await h.bolt.executeQuery(
      'MATCH (t:Task {tenantId: $tenant}) RETURN t.status AS status, count(*) AS n',
      { tenant: h.tenant },
    );
    expect(Object.fromEntries(statuses.records.map((r) => [r.get('status'), Number(r.get('n'))]))).toEqual({
      done: expect.any(Number),
    });
    expect(shipped.files).toEqual(expect.arrayContaining(['package.json', 'bin/csv2json.js', 'src/csv.js']));
    // Every gate run that merged passed; nothing failing reached main.
    expect(shipped.testRuns.filter((r) => r.kind === 'gate' && (r.exitCode !== 0 || r.failed !== 0))).toEqual([]);
    expect(shipped.merges.length).toBeGreaterThan(0);

    // The tree: downloaded, checked against its SHA-256, unpacked in a fresh folder, its own tests pass.
    const release = shipped.release as NonNullable<WorkspaceView['release']>;
    const tar = await download(release.tarUrl);
    const tarSha = createHash('sha256').update(tar.body).digest('hex');
    expect([tar.checksum, release.tarSha256]).toEqual([tarSha, tarSha]);
    const tarFile = join(out, 'release.tar.gz');
    await writeFile(tarFile, tar.body);
    await run('tar', ['-xzf', tarFile, '-C', out]);
    expect(await readdir(out)).toContain(shipped.goalId);
    const tested = await run('npm', ['test'], { cwd: join(out, shipped.goalId), env: { ...process.env, CI: 'true' } });
    expect(tested.stdout).toMatch(/# fail 0/);

    // The git bundle: a clone has main with the release tag, and its tests pass too.
    const bundle = await download(release.bundleUrl);
    expect(createHash('sha256').update(bundle.body).digest('hex')).toBe(release.bundleSha256);
    const bundleFile = join(out, 'release.bundle');
    await writeFile(bundleFile, bundle.body);
    const clone = join(out, 'clone');
    await run('git', ['clone', '--quiet', bundleFile, clone]);
    expect((await run('git', ['tag'], { cwd: clone })).stdout.trim()).toBe('v1.0.0');
    expect((await run('npm', ['test'], { cwd: clone, env: { ...process.env, CI: 'true' } })).stdout).toMatch(
      /# fail 0/,
    );
  }, 300_000);
});
