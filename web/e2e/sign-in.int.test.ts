import { launchBrowser, type RunningSystem, screenshot, startSystem } from '@ai-org/testing/system';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bannerText = 'Development identity: unverified, anyone on this machine can act as any tenant';
const createTask = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const apiKeyShape = /^aiorg_[A-Za-z0-9_-]{43}$/;

const storedKeys = (page: Page) =>
  page.evaluate(() => ({
    session: Object.values(sessionStorage).filter((value) => value.startsWith('aiorg_')),
    local: Object.values(localStorage).filter((value) => value.includes('aiorg_')),
  }));

const signIn = async (page: Page, key: string) => {
  await page.getByTestId('api-key-input').fill(key);
  await page.getByTestId('sign-in-submit').click();
};

describe('signing in to the web client in development mode', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let taskId: string;

  beforeAll(async () => {
    system = await startSystem();
    const created = await system.gql<{ createTask: { id: string } }>(createTask, {
      input: { description: 'Write the sign-in page', owner: 'alice', businessValue: 5, tokensPlan: 1 },
    });
    taskId = created.data?.createTask.id ?? '';
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('warns on every page that the identity is unverified, and works as before with the tenant form', async () => {
    await page.goto(system.webUrl);
    await expect(page.getByTestId('dev-banner').textContent()).resolves.toContain(bannerText);
    await expect(page.getByTestId('sign-in-form').count()).resolves.toBe(0);
    await page.getByTestId('tenant-input').fill(system.tenant);
    await page.getByTestId('tenant-apply').click();

    const me = page.locator(`[data-testid="who-am-i"][data-tenant="${system.tenant}"]`);
    await me.waitFor();
    expect(await me.getAttribute('data-role')).toBe('owner');
    await expect(me.textContent()).resolves.toContain('development header');
    await page.getByTestId(`backlog-row-${taskId}`).waitFor();
    await page.getByTestId('dispatch-ready').waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
    await screenshot(page, 'sign-in-development');

    await page.goto(`${system.webUrl}/#/graphiql`);
    await page.getByTestId('graphiql').waitFor();
    await expect(page.getByTestId('dev-banner').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('dev-banner').textContent()).resolves.toContain(bannerText);
  });
});

describe('signing in to the web client in token mode', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let ownerKey: string;
  let taskId: string;

  beforeAll(async () => {
    system = await startSystem({ env: { AUTH_MODE: 'token' } });
    ({ secret: ownerKey } = await system.services.tenants.createWithOwnerKey(system.tenant));
    const response = await fetch(`${system.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerKey}` },
      body: JSON.stringify({
        query: createTask,
        variables: { input: { description: 'Review the keys', owner: 'bob', businessValue: 3, tokensPlan: 1 } },
      }),
    });
    const created = (await response.json()) as { data?: { createTask: { id: string } }; errors?: unknown };
    if (!created.data) throw new Error(`createTask with the owner key: ${JSON.stringify(created.errors)}`);
    taskId = created.data.createTask.id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('asks for an API key first, with no development banner', async () => {
    await page.goto(system.webUrl);
    await page.getByTestId('sign-in-form').waitFor();
    await expect(page.getByTestId('dev-banner').count()).resolves.toBe(0);
    await screenshot(page, 'sign-in-token');
  });

  it('signs in with a pasted owner key, shows the tenant and role, and keeps the key for this tab only', async () => {
    await signIn(page, ownerKey);
    const me = page.locator(`[data-testid="who-am-i"][data-tenant="${system.tenant}"]`);
    await me.waitFor();
    expect(await me.getAttribute('data-role')).toBe('owner');
    await expect(me.textContent()).resolves.toContain('API key');
    await page.getByTestId(`backlog-row-${taskId}`).waitFor();
    await page.getByTestId('dispatch-ready').waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
    await expect(page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(1);
    await expect(storedKeys(page)).resolves.toEqual({ session: [ownerKey], local: [] });
    await screenshot(page, 'signed-in-owner');
  });

  it('lets an owner create a key whose secret is shown once', async () => {
    await page.goto(`${system.webUrl}/#/keys`);
    await page.getByTestId('api-key-name').fill('read-only dashboard');
    await page.getByTestId('api-key-role').selectOption('viewer');
    await page.getByTestId('api-key-create').click();
    const secret = (await page.getByTestId('new-key-secret').textContent()) ?? '';
    expect(secret).toMatch(apiKeyShape);
    await expect(page.getByTestId('new-key').textContent()).resolves.toContain('will not be shown again');
    await page.getByTestId('api-keys').filter({ hasText: 'read-only dashboard' }).waitFor();
    await screenshot(page, 'api-keys-created');
  });

  it('signs out, forgetting the key', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await expect(storedKeys(page)).resolves.toEqual({ session: [], local: [] });
  });

  it('hides the dispatch, goal and key controls from a viewer key, which still reads', async () => {
    const { secret: viewerKey } = await system.services.apiKeys.create(system.tenant, {
      name: 'viewer for the e2e test',
      role: 'viewer',
    });
    await page.goto(`${system.webUrl}/#/`);
    await signIn(page, viewerKey);
    const me = page.locator(`[data-testid="who-am-i"][data-tenant="${system.tenant}"]`);
    await me.waitFor();
    expect(await me.getAttribute('data-role')).toBe('viewer');
    await page.getByTestId(`backlog-row-${taskId}`).waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
    await expect(page.getByTestId('dispatch-ready').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await screenshot(page, 'signed-in-viewer');

    await page.goto(`${system.webUrl}/#/graph`);
    await page.getByTestId(`graph-node-${taskId}`).click();
    await page.getByTestId('task-details').waitFor();
    await expect(page.getByTestId('dispatch-task').count()).resolves.toBe(0);

    await page.goto(`${system.webUrl}/#/goal`);
    await page.getByTestId('goals-list').or(page.getByText('No goal yet.')).first().waitFor();
    await expect(page.getByTestId('goal-input').count()).resolves.toBe(0);
    await page.getByTestId('sign-out').click();
  });

  it('returns to sign-in with a plain message when the API refuses the key', async () => {
    await page.getByTestId('sign-in-form').waitFor();
    await signIn(page, `aiorg_${'Z'.repeat(43)}`);
    await expect(page.getByTestId('sign-in-notice').textContent()).resolves.toContain('refused your key');
    await expect(storedKeys(page)).resolves.toEqual({ session: [], local: [] });
  });
});
