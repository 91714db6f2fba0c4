import { type FakeLlmServer, fakeAnswer, startFakeLlmServer } from '@ai-org/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let server: FakeLlmServer;

beforeEach(async () => {
  server = await startFakeLlmServer();
});

afterEach(() => server.close());

const post = (body: object = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }) =>
  fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body) });

describe('fake LLM server', () => {
  it('consumes queued behaviours one per request, then answers with the default', async () => {
    server.enqueue({ kind: 'status', status: 500 }, { kind: 'ok', text: 'second' });
    expect((await post()).status).toBe(500);
    expect(await (await post()).json()).toMatchObject({ choices: [{ message: { content: 'second' } }] });
    expect(await (await post()).json()).toMatchObject({ choices: [{ message: { content: fakeAnswer } }] });
    server.setDefault({ kind: 'status', status: 503 });
    expect((await post()).status).toBe(503);
    expect(server.requests).toHaveLength(4);
  });

  it('holds a request until release(), and waitForRequest() sees it arrive', async () => {
    server.enqueue({ kind: 'hold' });
    let answered = false;
    const pending = post().then((response) => {
      answered = true;
      return response.status;
    });
    await server.waitForRequest(1);
    // Rather than waiting a while: a second request, made after the held one arrived, is answered in
    // full. An answer to the first would have been written before that request was even sent.
    expect((await post()).status).toBe(200);
    expect(answered).toBe(false);
    server.release();
    expect(await pending).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('closes while a request is held', async () => {
    server.enqueue({ kind: 'hold' });
    const pending = post().catch(() => 'dropped');
    await server.waitForRequest();
    await server.close();
    expect(await pending).toBe('dropped');
    server = await startFakeLlmServer(); // for afterEach
  });
});
