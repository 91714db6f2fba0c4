import type { AuthMode } from './credentials';

/** The API's public health route (`GET /`), proxied under this path by Vite (see web/vite.config.ts). */
export const healthPath = '/api/health';

/** The identity mode a health answer announces; null when the answer says none. */
export const authModeOf = (body: unknown): AuthMode | null => {
  if (typeof body !== 'object' || body === null || !('auth' in body)) return null;
  const { auth } = body as { auth: unknown };
  return auth === 'development' || auth === 'token' ? auth : null;
};

/**
 * Asks the API which identity mode it runs in. A degraded API answers 503 with the same body, which
 * still names the mode; anything that names none throws (the sign-in screen offers a retry).
 */
export const fetchAuthMode = async (fetchFn: typeof fetch = fetch): Promise<AuthMode> => {
  const response = await fetchFn(healthPath, { headers: { accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  const mode = authModeOf(body);
  if (!mode) throw new Error(`The API did not say how it identifies callers (HTTP ${response.status})`);
  return mode;
};
