/** How the API identifies callers, as its health route (`GET /`) announces it. */
export type AuthMode = 'development' | 'token';

/**
 * What this tab presents on every request and on the live socket: in development mode the tenant it
 * names (unverified) and an optional admin token; otherwise an API key sent as a Bearer credential.
 */
export type Credential =
  | { readonly kind: 'development'; readonly tenant: string; readonly adminToken: string | null }
  | { readonly kind: 'api-key'; readonly apiKey: string };

/** API keys as the platform mints them: `aiorg_` and 43 base64url characters. */
export const apiKeyPattern = /^aiorg_[A-Za-z0-9_-]{43}$/;

/** Tenant ids as the API accepts them: lowercase letters, digits, `_` and `-`, starting with a letter or digit. */
export const tenantPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Why a pasted key cannot be one (null: it looks like one). Never echoes the key. */
export const apiKeyProblem = (value: string): string | null => {
  const key = value.trim();
  if (key === '') return 'Paste an API key';
  if (!key.startsWith('aiorg_')) return 'API keys start with "aiorg_"';
  if (!apiKeyPattern.test(key)) return 'This is not a whole API key: "aiorg_" and 43 characters';
  return null;
};

/** The HTTP headers of every GraphQL request. */
export const requestHeaders = (credential: Credential): Record<string, string> => {
  if (credential.kind === 'api-key') return { authorization: `Bearer ${credential.apiKey}` };
  return {
    'x-tenant-id': credential.tenant,
    ...(credential.adminToken ? { 'x-admin-token': credential.adminToken } : {}),
  };
};

/** The graphql-ws `connectionParams` (browsers cannot set headers on a WebSocket). */
export const connectionParams = (credential: Credential): Record<string, string> => requestHeaders(credential);
