import { usePermissions } from '../session/MeProvider';
import { useSession } from '../session/SessionProvider';
import { AdminTokenForm } from './AdminTokenForm';
import { LiveStatus } from './LiveStatus';
import { hrefOf, type RoutePath, visibleRoutes } from './routes';
import { TenantForm } from './TenantForm';
import { WhoAmI } from './WhoAmI';
import './Header.css';

export const Header = ({ route }: { route: RoutePath }) => {
  const { credential } = useSession();
  const permissions = usePermissions();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        AI-Org
      </div>
      <nav aria-label="Pages">
        <ul className="nav-links">
          {visibleRoutes(permissions).map(({ path, label }) => (
            <li key={path}>
              <a href={hrefOf(path)} aria-current={path === route ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        {credential?.kind === 'development' ? (
          <>
            <TenantForm />
            <AdminTokenForm />
          </>
        ) : null}
        <WhoAmI />
        <LiveStatus />
      </div>
    </header>
  );
};
