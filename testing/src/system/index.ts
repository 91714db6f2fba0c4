// Test helpers that start the whole platform (API, role workers, orchestrator, built web app) and a browser.

export { chromiumPath, launchBrowser, screenshot, screenshotDir } from './browser';
export { type RunningSystem, type StartSystemOptions, startSystem } from './web-system';
