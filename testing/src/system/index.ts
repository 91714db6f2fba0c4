// Test helpers that start the whole platform (API, role workers, orchestrator, built web app) and a browser.

// The external services the platform talks to, faked locally, for the browser tests that need them.
export { type FakeStripeServer, startFakeStripeServer } from '@ai-org/testing';
export { chromiumPath, launchBrowser, screenshot, screenshotDir } from './browser';
export { type RunningSystem, type StartSystemOptions, startSystem } from './web-system';
