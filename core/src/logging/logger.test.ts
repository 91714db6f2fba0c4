import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

const capture = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
};

describe('createLogger', () => {
  it('writes one JSON object per line with the process name and the ids of a child logger', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', pretty: false }, 'workers', out.stream);
    logger.child({ tenant: 'demo', task: 'abcd1234', job: 'abcd1234.1' }).info({ tokensUsed: 42 }, 'task done');
    expect(JSON.parse(out.text().trim())).toMatchObject({
      process: 'workers',
      tenant: 'demo',
      task: 'abcd1234',
      job: 'abcd1234.1',
      tokensUsed: 42,
      msg: 'task done',
    });
  });

  it('writes human-readable single lines when pretty, leaving out the tick figures', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: true }, 'orchestrator', out.stream).info(
      { tenant: 'demo', figures: { ready: 3 } },
      '[tick] demo | ready 3',
    );
    expect(out.text()).toMatch(/INFO.*\[tick\] demo \| ready 3 \{"process":"orchestrator","tenant":"demo"\}\n$/);
  });

  it('censors fields named like secrets', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: false }, 'api', out.stream).info(
      { url: 'https://hooks.slack.com/services/T/B/secret', llm: { apiKey: 'sk-secret' } },
      'configured',
    );
    expect(out.text()).not.toContain('sk-secret');
    expect(out.text()).not.toContain('hooks.slack.com');
  });
});
