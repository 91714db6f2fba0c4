import { AdminTokenForm } from './AdminTokenForm';
import { LiveStatus } from './LiveStatus';
import { hrefOf, type RoutePath, routes } from './routes';
import { TenantForm } from './TenantForm';
import './Header.css';

export const Header = ({ route }: { route: RoutePath }) => (
  <header className="app-header">
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        ◆
      </span>
      AI-Org
    </div>
    <nav aria-label="Pages">
      <ul className="nav-links">
        {routes.map(({ path, label }) => (
          <li key={path}>
            <a href={hrefOf(path)} aria-current={path === route ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
    <div className="header-tools">
      <TenantForm />
      <AdminTokenForm />
      <LiveStatus />
    </div>
  </header>
);
