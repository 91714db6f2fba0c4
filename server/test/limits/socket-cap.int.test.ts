import { type Subscriber, subscribe } from '@ai-org/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsCloseCodes } from '../../src/live/graphql-ws.server';
import { deleteTenants, startTestApp, type TestApp, uniqueTenant } from '../test-app';

/** MAX_SOCKETS_PER_TENANT through the real app's WebSocket (development identity, one API instance). */
describe('per-tenant cap on open WebSockets (real app)', () => {
  let t: TestApp;
  let wsUrl: string;
  const open: Subscriber[] = [];
  const tenants = [uniqueTenant('sockets-a'), uniqueTenant('sockets-b')] as const;
  const connect = (tenant: string) => {
    const sub = subscribe(wsUrl, { 'x-tenant-id': tenant });
    open.push(sub);
    return sub;
  };

  beforeAll(async () => {
    t = await startTestApp({ MAX_SOCKETS_PER_TENANT: '2' });
    wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
  });
  afterAll(async () => {
    await Promise.all(open.map((sub) => sub.dispose()));
    await deleteTenants(t.bolt, ...tenants);
    await t.stop();
  });

  it('closes the socket over the cap with 4429, keeps other tenants connecting, and frees the slot on close', async () => {
    const [a, b] = tenants;
    const first = connect(a);
    const second = connect(a);
    await Promise.all([first.connected, second.connected]);
    expect(await connect(a).closed).toBe(wsCloseCodes.tooMany);
    await connect(b).connected;

    await first.dispose();
    await first.closed;
    // The server counts the close when the socket's close reaches it; poll briefly.
    await expect
      .poll(
        async () => {
          const retry = connect(a);
          const outcome = await Promise.race([retry.connected.then(() => 'connected'), retry.closed]);
          if (outcome !== 'connected') await retry.dispose();
          return outcome;
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe('connected');
  });
});
