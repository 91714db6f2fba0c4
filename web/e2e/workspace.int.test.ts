import { launchBrowser, type RunningSystem, screenshot, startSystem } from '@ai-org/testing/system';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const goalText = 'a CLI that converts CSV to JSON';
const openTasks = '{ tasks(where: { NOT: { status_EQ: done } }) { id } }';
const setDone = 'mutation($id: ID!) { setTaskStatus(id: $id, status: done) { id } }';

describe("a goal's workspace in a real Chromium", () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startSystem();
    await system.gql('mutation { topUpBudget(amountUsd: 5) { leftUsd } }');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.goto(system.webUrl);
    await page.getByTestId('tenant-input').fill(system.tenant);
    await page.getByTestId('tenant-apply').click();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('follows the first merge live, from the goal page to the diff and the files (offline provider)', async () => {
    await page.goto(`${system.webUrl}/#/goal`);
    await page.getByTestId('goal-input').fill(goalText);
    await page.getByTestId('goal-submit').click();
    await page.locator('[data-testid^="goal-workspace-"]').first().click();
    await page.getByTestId('workspace-page').waitFor();

    // No reload: the live feed shows the agent's steps and the page refetches the workspace after them.
    await page.getByTestId('workspace-feed').waitFor({ timeout: 30_000 });
    await page.getByTestId('workspace-merges').waitFor({ timeout: 60_000 });
    await page.getByTestId('workspace-merges').locator('summary').first().click();
    await expect(page.getByTestId('workspace-diff').first().textContent()).resolves.toMatch(/\n\+/);
    await page.locator('[data-testid^="workspace-file-"]').first().click();
    await expect(page.getByTestId('workspace-file-content').textContent()).resolves.not.toBe('');
    await screenshot(page, 'workspace');
    await page.getByTestId('workspace-diff').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'workspace-diff');
  });

  it('shows the release when the goal is finished, and verifies both downloads against their SHA-256', async () => {
    // Finishing the remaining tasks by hand ships the goal at the orchestrator's next tick.
    const open = await system.gql<{ tasks: { id: string }[] }>(openTasks);
    for (const { id } of open.data?.tasks ?? []) await system.gql(setDone, { id });
    await page.getByTestId('workspace-release').waitFor({ timeout: 60_000 });
    for (const id of ['release-tar', 'release-bundle']) {
      const row = page.getByTestId(id);
      const download = page.waitForEvent('download');
      await row.getByRole('button').click();
      expect((await download).suggestedFilename()).toMatch(/\.(tar\.gz|bundle)$/);
      await row.getByText('verified').waitFor();
    }
    await page.getByTestId('workspace-release').scrollIntoViewIfNeeded();
    await screenshot(page, 'workspace-release');
  }, 120_000);
});
