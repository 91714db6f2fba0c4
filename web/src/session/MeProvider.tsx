import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useQuery } from 'urql';
import { errorText } from '../api/error-text';
import type { MeQuery } from '../gql/graphql';
import { meQuery } from './me.documents';
import { nothingPermitted, type Permissions, permissionsOf } from './permissions';

export type Me = MeQuery['me'];

export interface MeState {
  /** null until the API has answered (or when it refused). */
  readonly me: Me | null;
  readonly permissions: Permissions;
  /** A plain sentence when `me` could not be read. */
  readonly error: string | null;
  readonly retry: () => void;
}

const MeContext = createContext<MeState | null>(null);

/** Asks `me` once per API client; everything role-dependent reads it through `usePermissions`. */
export const MeProvider = ({ children }: { children: ReactNode }) => {
  const [result, reexecute] = useQuery({ query: meQuery, requestPolicy: 'network-only' });
  const me = result.data?.me ?? null;
  const error = result.error ? errorText(result.error) : null;
  const state = useMemo<MeState>(
    () => ({
      me,
      permissions: me ? permissionsOf(me) : nothingPermitted,
      error,
      retry: () => reexecute({ requestPolicy: 'network-only' }),
    }),
    [me, error, reexecute],
  );
  return <MeContext.Provider value={state}>{children}</MeContext.Provider>;
};

export const useMe = (): MeState => {
  const state = useContext(MeContext);
  if (!state) throw new Error('useMe needs a <MeProvider>');
  return state;
};

export const usePermissions = (): Permissions => useMe().permissions;
