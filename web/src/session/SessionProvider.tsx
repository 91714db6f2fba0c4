import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { forgetApiKey, readApiKey, saveApiKey } from './api-key-storage';
import { fetchAuthMode } from './auth-mode';
import type { AuthMode, Credential } from './credentials';
import { readSetting, writeSetting } from './storage';

export const defaultTenant = 'demo';
const tenantKey = 'ai-org.tenant';
// Secrets live in sessionStorage (this tab only, gone when it closes), never in localStorage.
const adminTokenKey = 'ai-org.admin-token';

/** The API's identity mode: asked once from the health route; `failed` offers a retry. */
export type ModeState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: string }
  | { readonly status: 'ready'; readonly mode: AuthMode };

export interface Session {
  readonly mode: ModeState;
  /** What every request presents; null in token mode until a key is pasted. */
  readonly credential: Credential | null;
  /** Development mode: the tenant named in `x-tenant-id`, and the optional `x-admin-token`. */
  readonly tenant: string;
  readonly adminToken: string | null;
  /** Why the last sign-in ended (a refused or expired key), shown on the sign-in screen. */
  readonly notice: string | null;
  setTenant(tenant: string): void;
  setAdminToken(token: string | null): void;
  signIn(apiKey: string): void;
  signOut(notice?: string): void;
  retryMode(): void;
}

const SessionContext = createContext<Session | null>(null);

const credentialOf = (
  mode: ModeState,
  settings: { tenant: string; adminToken: string | null; apiKey: string | null },
): Credential | null => {
  if (mode.status !== 'ready') return null;
  if (mode.mode === 'development')
    return { kind: 'development', tenant: settings.tenant, adminToken: settings.adminToken };
  return settings.apiKey ? { kind: 'api-key', apiKey: settings.apiKey } : null;
};

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [mode, setMode] = useState<ModeState>({ status: 'loading' });
  const [tenant, setTenantState] = useState(() => readSetting('local', tenantKey) ?? defaultTenant);
  const [adminToken, setAdminTokenState] = useState(() => readSetting('session', adminTokenKey));
  const [apiKey, setApiKeyState] = useState(readApiKey);
  const [notice, setNotice] = useState<string | null>(null);

  // Asks while loading: on mount, and again after "Retry" puts the state back to loading.
  const loading = mode.status === 'loading';
  useEffect(() => {
    if (!loading) return;
    let current = true;
    fetchAuthMode().then(
      (found) => current && setMode({ status: 'ready', mode: found }),
      (error: unknown) =>
        current && setMode({ status: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [loading]);

  const signOut = useCallback((reason?: string) => {
    forgetApiKey();
    setApiKeyState(null);
    setNotice(reason ?? null);
  }, []);

  const credential = useMemo(
    () => credentialOf(mode, { tenant, adminToken, apiKey }),
    [mode, tenant, adminToken, apiKey],
  );

  const session = useMemo<Session>(
    () => ({
      mode,
      credential,
      tenant,
      adminToken,
      notice,
      setTenant: (next) => {
        writeSetting('local', tenantKey, next);
        setTenantState(next);
      },
      setAdminToken: (next) => {
        writeSetting('session', adminTokenKey, next);
        setAdminTokenState(next === '' ? null : next);
      },
      signIn: (next) => {
        const key = next.trim();
        saveApiKey(key);
        setApiKeyState(key);
        setNotice(null);
      },
      signOut,
      retryMode: () => setMode({ status: 'loading' }),
    }),
    [mode, credential, tenant, adminToken, notice, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
};

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  return session;
};
