import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { fetchMe, keys } from '../api/queries';
import { useLiveStatus, useLiveUpdates } from '../api/use-live-updates';
import { session } from '../auth/session';
import { useToken } from '../auth/use-session';
import { ErrorBoundary } from '../components/error-boundary';
import { PageLoading } from '../components/page-loading';
import { t } from '../i18n';
import { activeNavPath, visibleNavItems } from './nav-items';
import { NotificationsBell } from './notifications-bell';

/** The signed-in frame: header (officer, bell, sign-out), the menu, and the page in `<main>`. */
export function AppShell() {
  const token = useToken();
  useLiveUpdates(token);
  const live = useLiveStatus();
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const queryClient = useQueryClient();

  const signOut = () => {
    const sso = session.sso();
    session.signOut();
    queryClient.clear();
    void navigate('/dang-nhap', { replace: true });
    if (sso) {
      // Single sign-on: end the provider's session too, or the next "SSO" click would sign in without a password.
      void import('../auth/sso').then((m) => m.endProviderSession(sso)).catch(() => undefined);
    }
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main-content">
        {t.app.skipToContent}
      </a>
      <header className="shell-header">
        <Link to="/" className="shell-brand">
          {t.app.name}
        </Link>
        <nav className="shell-nav" aria-label={t.app.mainNavigation}>
          <ul>
            {visibleNavItems(me.data?.roles ?? []).map((item) => (
              <li key={item.path}>
                {/* One entry is current: the longest matching path (/thu-tuc/cong-bo is not also /thu-tuc). */}
                <Link
                  to={item.path}
                  className={item.path === activeNavPath(pathname) ? 'active' : undefined}
                  aria-current={item.path === activeNavPath(pathname) ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell-user">
          {me.data && (
            <div className="shell-officer" aria-label={t.app.officerInfo} role="group">
              <strong>{me.data.fullName}</strong>
              <span className="muted">
                {[me.data.roles.map((r) => t.roles[r] ?? r).join(', '), me.data.units.map((u) => u.name).join(', ')]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </div>
          )}
          <NotificationsBell />
          <Button onClick={signOut}>{t.app.signOut}</Button>
        </div>
      </header>
      <div role="status" aria-live="polite" className={live === 'retrying' ? 'live-warning' : 'visually-hidden'}>
        {live === 'retrying' ? t.app.liveDisconnected : ''}
      </div>
      <main id="main-content" tabIndex={-1}>
        {/* A fresh boundary per address: one broken screen does not block the others; the shell stays. */}
        <ErrorBoundary key={pathname}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
