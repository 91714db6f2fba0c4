import { describe, expect, it } from 'vitest';
import { authModeOf, fetchAuthMode, healthPath } from './auth-mode';

const answer = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('the identity mode', () => {
  it('is read from the health answer', () => {
    expect(authModeOf({ status: 'ok', auth: 'token' })).toBe('token');
    expect(authModeOf({ status: 'ok', auth: 'development' })).toBe('development');
    expect(authModeOf({ status: 'ok' })).toBeNull();
    expect(authModeOf({ auth: 'anything' })).toBeNull();
    expect(authModeOf('<!doctype html>')).toBeNull();
  });

  it('is asked from the proxied health route', async () => {
    const asked: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return new Response(JSON.stringify({ auth: 'token' }));
    }) as typeof fetch;
    await expect(fetchAuthMode(fetchFn)).resolves.toBe('token');
    expect(asked).toEqual([healthPath]);
  });

  it('is still known when the API is degraded (503 with the same body)', async () => {
    await expect(fetchAuthMode(answer(503, { status: 'degraded', auth: 'development' }))).resolves.toBe('development');
  });

  it('fails when the answer names no mode (e.g. the page itself instead of the API)', async () => {
    const html = (async () => new Response('<!doctype html>', { status: 200 })) as typeof fetch;
    await expect(fetchAuthMode(html)).rejects.toThrow(/did not say how it identifies callers/);
  });
});
