import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { readSetting, writeSetting } from './storage';

export const defaultTenant = 'demo';
const tenantKey = 'ai-org.tenant';
// The admin token is a secret: it lives in sessionStorage, gone when the tab closes.
const adminTokenKey = 'ai-org.admin-token';

/** Tenant ids as the API accepts them: lowercase letters, digits, `_` and `-`, starting with a letter or digit. */
export const tenantPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface Session {
  readonly tenant: string;
  readonly adminToken: string | null;
  setTenant(tenant: string): void;
  setAdminToken(token: string | null): void;
}

const SessionContext = createContext<Session | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [tenant, setTenantState] = useState(() => readSetting('local', tenantKey) ?? defaultTenant);
  const [adminToken, setAdminTokenState] = useState(() => readSetting('session', adminTokenKey));
  const session = useMemo<Session>(
    () => ({
      tenant,
      adminToken,
      setTenant: (next) => {
        writeSetting('local', tenantKey, next);
        setTenantState(next);
      },
      setAdminToken: (next) => {
        writeSetting('session', adminTokenKey, next);
        setAdminTokenState(next === '' ? null : next);
      },
    }),
    [tenant, adminToken],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
};

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  return session;
};
