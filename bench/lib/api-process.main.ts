/**
 * The API alone in a process of its own, for benchmarks that must tell its memory apart from their
 * clients' (B3). Started by `startApiProcess` with the settings in its environment; talks over IPC:
 * sends `ready` with its URLs, answers `memory` (after a full GC) and stops on `stop`.
 * Run with `--import tsx --expose-gc`.
 */
import { loadConfig } from '@ai-org/core';
import { buildApp } from '@ai-org/server';
import type { ApiProcessReply, ApiProcessRequest } from './api-process';

const send = (reply: ApiProcessReply) => process.send?.(reply);
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

const app = await buildApp(loadConfig(process.env));
const urls = await app.start();
send({ type: 'ready', ...urls });

process.on('message', (request: ApiProcessRequest) => {
  if (request.type === 'memory') {
    collectGarbage();
    collectGarbage();
    const { heapUsed, rss } = process.memoryUsage();
    send({ type: 'memory', heapUsed, rss });
    return;
  }
  void app
    .stop()
    .catch(() => undefined)
    .finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(1)); // the benchmark died: never outlive it
