import { useMe } from '../session/MeProvider';
import { useSession } from '../session/SessionProvider';

const viaLabels: Record<string, string> = { development: 'development header', api_key: 'API key', jwt: 'JWT' };

/** Who the API says you are (from `me`): tenant, role and how you signed in; sign out in token mode. */
export const WhoAmI = () => {
  const { me, error } = useMe();
  const { credential, signOut } = useSession();
  const signOutButton =
    credential?.kind === 'api-key' ? (
      <button type="button" className="button button-quiet" data-testid="sign-out" onClick={() => signOut()}>
        Sign out
      </button>
    ) : null;
  if (!me) {
    return (
      <div className="inline-form who-am-i" data-testid="who-am-i">
        <span>{error ? 'not signed in' : 'signing in…'}</span>
        {signOutButton}
      </div>
    );
  }
  const role = me.role ?? (me.platformAdmin ? 'platform admin' : 'none');
  return (
    <div className="inline-form who-am-i" data-testid="who-am-i" data-role={role} data-tenant={me.tenantId ?? ''}>
      <span title={me.expiresAt ? `valid until ${me.expiresAt}` : undefined}>
        <strong data-testid="who-am-i-tenant">{me.tenantId ?? 'no tenant'}</strong>
        {' · '}
        <span data-testid="who-am-i-role">{role}</span>
        {me.role !== null && me.platformAdmin ? ' · platform admin' : null}
        {' · '}
        <span className="who-am-i-via">{viaLabels[me.via] ?? me.via}</span>
      </span>
      {signOutButton}
    </div>
  );
};
