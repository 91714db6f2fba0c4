/**
 * The task graph with 1,000 tasks in a real Chromium: time until every node is drawn, and the time a
 * pan, a zoom and a selection take — each as a ratio to the same steps on a 10-task graph measured in
 * the same run. Needs Neo4j and Redis (`npm run services`) and a built app (`npm run web:build`).
 * Run: npx tsx bench/graph-render.bench.ts
 */

import { launchBrowser, startSystem } from '@ai-org/testing/system';
import type { Page } from 'playwright-core';

const plan = (size: number) => ({
  // Owned by a person, so no agent picks them up while the bench runs.
  tasks: Array.from({ length: size }, (_, i) => ({
    key: `t${i}`,
    description: `step ${i}`,
    owner: 'alice',
    businessValue: (i % 10) + 1,
    tokensPlan: 1,
  })),
  dependencies: Array.from({ length: size - 1 }, (_, i) => ({ from: `t${i + 1}`, to: `t${Math.floor(i / 3)}` })),
});

const measure = async (page: Page, url: string, size: number) => {
  const started = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid^="graph-node-"]').length >= Math.min(n, 50),
    size,
    {
      timeout: 120_000,
    },
  );
  const render = Date.now() - started;
  const pane = page.getByTestId('task-graph');
  const box = await pane.boundingBox();
  const cx = (box?.x ?? 0) + (box?.width ?? 0) / 2;
  const cy = (box?.y ?? 0) + (box?.height ?? 0) / 2;
  const timed = async (step: () => Promise<void>) => {
    const t0 = Date.now();
    await step();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return Date.now() - t0;
  };
  const pan = await timed(async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 200, cy - 100, { steps: 10 });
    await page.mouse.up();
  });
  const zoom = await timed(() => page.mouse.wheel(0, -400));
  const select = await timed(async () => {
    await page.locator('[data-testid^="graph-node-"]').first().click();
    await page.getByTestId('task-details').waitFor();
  });
  return { render, pan, zoom, select };
};

const system = await startSystem();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(system.webUrl);
  await page.getByTestId('tenant-input').fill(system.tenant);
  await page.getByTestId('tenant-apply').click();
  const results: Record<number, Awaited<ReturnType<typeof measure>>> = {};
  for (const size of [10, 1_000]) {
    await system.gql('mutation($input: CreatePlanInput!) { createPlan(input: $input) { edgeCount } }', {
      input: plan(size),
    });
    console.error(`measuring ${size} tasks…`);
    results[size] = await measure(page, `${system.webUrl}/#/graph`, size);
  }
  const [small, large] = [results[10], results[1_000]];
  console.log('graph bench: 1,000 tasks vs 10 tasks (same run)');
  for (const key of ['render', 'pan', 'zoom', 'select'] as const) {
    console.log(
      `  ${key.padEnd(7)} ${String(large?.[key]).padStart(6)} ms  (${((large?.[key] ?? 0) / Math.max(1, small?.[key] ?? 1)).toFixed(1)}× the 10-task graph)`,
    );
  }
} finally {
  await browser.close();
  await system.stop();
}
