import { launchBrowser, type RunningSystem, screenshot, startSystem } from '@ai-org/testing/system';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const createPlan = 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { tasks { key id } } }';
/**
 * For a screenshot only (no assertion depends on it): the graph refits 60 ms after its layout changes,
 * animated over 250 ms (TaskGraphView), so by 500 ms the picture shows the whole new plan.
 */
const refitForScreenshotMs = 500;

describe('the web dashboard in a real Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let ids: Record<string, string>;

  beforeAll(async () => {
    system = await startSystem();
    const created = await system.gql<{ createPlan: { tasks: { key: string; id: string }[] } }>(createPlan, {
      input: {
        tasks: [
          {
            key: 'spec',
            description: 'Write the spec',
            owner: 'alice',
            businessValue: 8,
            tokensPlan: 2,
            status: 'done',
          },
          { key: 'build', description: 'Build the parser', owner: 'bob', businessValue: 5, tokensPlan: 4 },
          { key: 'check', description: 'Check the parser', owner: 'carol', businessValue: 3, tokensPlan: 2 },
        ],
        dependencies: [
          { from: 'build', to: 'spec' },
          { from: 'check', to: 'build' },
        ],
      },
    });
    ids = Object.fromEntries(created.data?.createPlan.tasks.map((t) => [t.key, t.id]) ?? []);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(system.webUrl);
    await page.getByTestId('tenant-input').fill(system.tenant);
    await page.getByTestId('tenant-apply').click();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it("shows the tenant's tasks in the backlog and in the graph", async () => {
    await page.goto(`${system.webUrl}/#/`);
    await page.getByTestId(`backlog-row-${ids.build}`).waitFor();
    await expect(page.getByTestId('backlog-table').textContent()).resolves.toContain('Build the parser');
    await screenshot(page, 'dashboard');

    await page.goto(`${system.webUrl}/#/graph`);
    for (const id of Object.values(ids)) await page.getByTestId(`graph-node-${id}`).waitFor();
    await screenshot(page, 'graph');
  });

  it('recolours a node live when its status changes through the API, without a reload', async () => {
    await page.goto(`${system.webUrl}/#/graph`);
    const node = page.getByTestId(`graph-node-${ids.build}`);
    await node.waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
    expect(await node.getAttribute('data-status')).toBe('todo');
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    await system.gql('mutation($id: ID!) { setTaskStatus(id: $id, status: failed) { id } }', { id: ids.build });
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="graph-node-${id}"]`)?.getAttribute('data-status') === 'failed',
      ids.build,
    );
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await node.click();
    await expect(page.getByTestId('task-details').textContent()).resolves.toContain('Build the parser');
    await screenshot(page, 'graph-live-status');
  });

  it('sets a goal and shows the planned tasks appear (offline provider)', async () => {
    // The goal is planned once the backlog is empty: finish what is there first.
    for (const id of [ids.build, ids.check])
      await system.gql('mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }', { id });
    await system.gql('mutation { topUpBudget(amountUsd: 5) { leftUsd } }');
    await page.goto(`${system.webUrl}/#/goal`);
    await page.getByTestId('goal-input').fill('a CLI that converts CSV to JSON');
    await page.getByTestId('goal-submit').click();
    await page.getByTestId('goals-list').filter({ hasText: 'a CLI that converts CSV to JSON' }).waitFor();

    await page.goto(`${system.webUrl}/#/graph`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="graph-node-"]').length > 3, undefined, {
      timeout: 30_000,
    });
    await page.waitForTimeout(refitForScreenshotMs);
    await screenshot(page, 'goal-planned');
  });

  it('runs a subscription in GraphiQL and shows an event arriving', async () => {
    await page.goto(`${system.webUrl}/#/graphiql`);
    const graphiql = page.getByTestId('graphiql');
    await graphiql.waitFor();
    const editor = page.locator('.graphiql-query-editor [contenteditable], .graphiql-query-editor textarea').first();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('subscription { events(kinds: [task]) { seq kind task { id status } } }');
    // The editor takes the text a moment later; run before that, GraphiQL answers "Unable to identify
    // operation". Run once the editor shows it, and again until GraphiQL turns its run button into a
    // stop button (the subscription is running).
    await expect.poll(() => page.locator('.graphiql-query-editor').textContent()).toContain('events(kinds');
    const stop = page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' });
    await expect
      .poll(
        async () => {
          if (await stop.isVisible()) return true;
          await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
          return false;
        },
        { timeout: 15_000, interval: 2_000 },
      )
      .toBe(true);
    await screenshot(page, 'graphiql-before-event');
    // The API's Redis subscription starts a moment after the socket is acknowledged and delivery is at
    // most once (as warmUp handles for the API tests): change the task's status until an event shows.
    const eventShown = () => page.evaluate(() => document.body.textContent?.includes('"seq"') ?? false);
    await expect
      .poll(
        async () => {
          await system.gql('mutation($id: ID!) { setTaskStatus(id: $id, status: blocked) { id } }', { id: ids.check });
          return eventShown();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    await screenshot(page, 'graphiql-subscription');
  });
});
